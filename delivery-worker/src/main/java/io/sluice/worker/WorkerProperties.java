package io.sluice.worker;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import org.springframework.util.unit.DataSize;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the delivery worker ({@code sluice.worker.*}).
 *
 * @param enabled                  run the worker in this process
 * @param groupId                  consumer group of all delivery workers
 * @param maxInFlight              deliveries in flight per worker before it stops fetching more
 * @param maxConnectionsPerEndpoint HTTP connections to one endpoint (host:port): the per-endpoint bound
 * @param connectTimeout           TCP connect timeout (the webhooks spec default)
 * @param commitInterval           how often finished offsets are committed
 * @param name                     this worker node's name, recorded on every attempt and circuit; defaults to the host name
 * @param retryGroupId             consumer group of the retry tier consumers
 * @param retryHoldBytes           retry records a worker holds in memory until due, at most
 *                                 (beyond it, it stops reading the tiers until some are sent on)
 */
@ConfigurationProperties("sluice.worker")
public record WorkerProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("sluice-delivery") String groupId,
        @DefaultValue("2000") int maxInFlight,
        @DefaultValue("64") int maxConnectionsPerEndpoint,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("200ms") Duration commitInterval,
        String name,
        @DefaultValue("sluice-retry") String retryGroupId,
        @DefaultValue("64MB") DataSize retryHoldBytes) {

    /** {@code name}, or the host name when none is set. */
    public String nodeName() {
        if (name != null) {
            return name;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "worker";
        }
    }
}
