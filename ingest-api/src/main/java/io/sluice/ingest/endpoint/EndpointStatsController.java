package io.sluice.ingest.endpoint;

import io.sluice.core.stats.FlowRates;
import io.sluice.core.stats.LatencyPercentiles;
import io.sluice.core.stats.ScopeFlow;
import io.sluice.ingest.auth.AuthenticationFilter;
import io.sluice.ingest.web.ApiException;
import io.sluice.ingest.web.Ids;
import io.sluice.store.Endpoint;
import io.sluice.store.EndpointStore;
import io.sluice.topology.live.LiveFeed;
import java.time.Instant;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;

/**
 * How an endpoint's deliveries are going, live: its attempts per second, the share answered
 * 2xx, and how long attempts take, from the stats topology (every node reads them whole, so any
 * node answers).
 */
@RestController
public class EndpointStatsController {

    /**
     * @param attemptsPerSecond attempts made, per second over the last second, minute and hour
     * @param successRate       the share of those attempts answered 2xx (null without attempts)
     * @param latencyMs         how long the attempts took, over the last minute and hour
     * @param asOf              when these figures were computed (null: no attempt seen yet)
     */
    public record EndpointStats(UUID endpointId, FlowRates attemptsPerSecond, SuccessRate successRate,
                                Latency latencyMs, Instant asOf) {
    }

    public record SuccessRate(Double lastMinute, Double lastHour) {
    }

    public record Latency(LatencyPercentiles lastMinute, LatencyPercentiles lastHour) {
    }

    private final EndpointStore endpoints;
    private final ObjectProvider<LiveFeed> feed;

    public EndpointStatsController(EndpointStore endpoints, ObjectProvider<LiveFeed> feed) {
        this.endpoints = endpoints;
        this.feed = feed;
    }

    @GetMapping("/api/v1/endpoints/{id}/stats")
    public EndpointStats stats(@RequestAttribute(AuthenticationFilter.ORGANIZATION_ID) UUID organizationId,
                               @PathVariable String id) {
        Endpoint endpoint = Ids.parse(id).flatMap(uuid -> endpoints.get(organizationId, uuid))
                .filter(found -> found.kind() == Endpoint.Kind.WEBHOOK)
                .orElseThrow(() -> ApiException.notFound("Endpoint not found"));
        LiveFeed live = feed.getIfAvailable();
        if (live == null) {
            throw ApiException.unavailable("Live stats are read by the realtime feed, turned off on this node"
                    + " (sluice.realtime.enabled)");
        }
        return live.endpointStats(organizationId, endpoint.id()).map(line -> of(endpoint.id(), line.flow()))
                .orElseGet(() -> new EndpointStats(endpoint.id(), FlowRates.NONE, new SuccessRate(null, null),
                        new Latency(LatencyPercentiles.NONE, LatencyPercentiles.NONE), null));
    }

    private static EndpointStats of(UUID endpointId, ScopeFlow flow) {
        FlowRates ok = flow.delivered();
        FlowRates failed = flow.failed();
        return new EndpointStats(endpointId,
                new FlowRates(ok.lastSecond() + failed.lastSecond(), ok.lastMinute() + failed.lastMinute(),
                        ok.lastHour() + failed.lastHour()),
                new SuccessRate(share(ok.lastMinute(), failed.lastMinute()), share(ok.lastHour(), failed.lastHour())),
                new Latency(flow.latencyLastMinute(), flow.latencyLastHour()), flow.at());
    }

    private static Double share(double succeeded, double failed) {
        return succeeded + failed == 0 ? null : succeeded / (succeeded + failed);
    }
}
