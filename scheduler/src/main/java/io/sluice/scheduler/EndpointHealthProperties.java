package io.sluice.scheduler;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * When the projector disables an endpoint ({@code sluice.endpoints.*}).
 *
 * @param disableAfter disable an endpoint whose every attempt has failed for this long
 *                     (Svix's and the webhooks spec's default: five days)
 */
@ConfigurationProperties("sluice.endpoints")
public record EndpointHealthProperties(@DefaultValue("5d") Duration disableAfter) {
}
