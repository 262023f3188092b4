package io.sluice.ingest.endpoint;

import io.sluice.core.stats.CircuitLine;
import io.sluice.core.stats.FlowRates;
import io.sluice.core.stats.LatencyPercentiles;
import io.sluice.core.stats.ScopeFlow;
import io.sluice.ingest.auth.AuthenticationFilter;
import io.sluice.ingest.web.ApiException;
import io.sluice.store.Endpoint;
import io.sluice.store.EndpointStore;
import io.sluice.topology.live.LiveFeed;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;

/**
 * How an endpoint's deliveries are going, live: its attempts per second, the share answered
 * 2xx, how long attempts take (from the stats topology) and its circuit on the worker nodes
 * (from {@code sluice.circuits}); every node reads both whole, so any node answers.
 */
@RestController
public class EndpointStatsController {

    /**
     * @param attemptsPerSecond attempts made, per second over the last second, minute and hour
     * @param successRate       the share of those attempts answered 2xx (null without attempts)
     * @param latencyMs         how long the attempts took, over the last minute and hour
     * @param circuit           the worker nodes' circuit breakers for it
     * @param asOf              when these figures were computed (null: no attempt seen yet)
     */
    public record EndpointStats(UUID endpointId, FlowRates attemptsPerSecond, SuccessRate successRate,
                                Latency latencyMs, Circuit circuit, Instant asOf) {
    }

    /**
     * @param state    {@code open} when any node holds it open, else {@code half_open} when any
     *                 probes it, else {@code closed}
     * @param openOn   the nodes holding it open or half-open
     */
    public record Circuit(String state, List<String> openOn) {
    }

    public record SuccessRate(Double lastMinute, Double lastHour) {
    }

    public record Latency(LatencyPercentiles lastMinute, LatencyPercentiles lastHour) {
    }

    private final EndpointStore endpoints;
    private final ObjectProvider<LiveFeed> feed;
    private final Clock clock;

    public EndpointStatsController(EndpointStore endpoints, ObjectProvider<LiveFeed> feed, Clock clock) {
        this.endpoints = endpoints;
        this.feed = feed;
        this.clock = clock;
    }

    @GetMapping("/api/v1/endpoints/{id}/stats")
    public EndpointStats stats(@RequestAttribute(AuthenticationFilter.ORGANIZATION_ID) UUID organizationId,
                               @PathVariable String id) {
        Endpoint endpoint = EndpointController.webhookEndpoint(endpoints, organizationId, id);
        LiveFeed live = feed.getIfAvailable();
        if (live == null) {
            throw ApiException.unavailable("Live stats are read by the realtime feed, turned off on this node"
                    + " (sluice.realtime.enabled)");
        }
        Circuit circuit = circuit(live.circuitsOf(organizationId, endpoint.id()));
        return live.endpointStats(organizationId, endpoint.id()).map(line -> of(endpoint.id(), line.flow(), circuit))
                .orElseGet(() -> new EndpointStats(endpoint.id(), FlowRates.NONE, new SuccessRate(null, null),
                        new Latency(LatencyPercentiles.NONE, LatencyPercentiles.NONE), circuit, null));
    }

    /** Only lines still current count: a node that went away leaves its last line behind. */
    private Circuit circuit(List<CircuitLine> lines) {
        Instant now = clock.instant();
        List<CircuitLine> notClosed = lines.stream().filter(line -> line.current(now))
                .filter(line -> !CircuitLine.CLOSED.equals(line.state())).toList();
        String state = notClosed.stream().anyMatch(line -> CircuitLine.OPEN.equals(line.state())) ? CircuitLine.OPEN
                : notClosed.isEmpty() ? CircuitLine.CLOSED : CircuitLine.HALF_OPEN;
        return new Circuit(state, notClosed.stream().map(CircuitLine::node).sorted().toList());
    }

    private static EndpointStats of(UUID endpointId, ScopeFlow flow, Circuit circuit) {
        FlowRates ok = flow.delivered();
        FlowRates failed = flow.failed();
        return new EndpointStats(endpointId,
                new FlowRates(ok.lastSecond() + failed.lastSecond(), ok.lastMinute() + failed.lastMinute(),
                        ok.lastHour() + failed.lastHour()),
                new SuccessRate(share(ok.lastMinute(), failed.lastMinute()), share(ok.lastHour(), failed.lastHour())),
                new Latency(flow.latencyLastMinute(), flow.latencyLastHour()), circuit, flow.at());
    }

    private static Double share(double succeeded, double failed) {
        return succeeded + failed == 0 ? null : succeeded / (succeeded + failed);
    }
}
