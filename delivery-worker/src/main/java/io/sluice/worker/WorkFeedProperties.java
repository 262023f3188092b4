package io.sluice.worker;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The feed of external workers' jobs ({@code sluice.work.*}): every gateway node reads a share
 * of the work topic's partitions and hands out what it holds.
 *
 * @param enabled    feed this node (its claim routes find nothing without it)
 * @param groupId    consumer group of the gateway nodes
 * @param bufferSize items held in memory at most; beyond it the node stops reading until workers take some
 */
@ConfigurationProperties("sluice.work")
public record WorkFeedProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("sluice-work") String groupId,
        @DefaultValue("100000") int bufferSize) {
}
