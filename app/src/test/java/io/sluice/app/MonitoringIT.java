package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testkit.TestReceiver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Prometheus alert rules and the Grafana dashboard in {@code ops/} read metrics Sluice
 * really exposes: every metric they name is on a running Sluice's {@code /actuator/prometheus}.
 */
class MonitoringIT extends SluiceIntegrationTest {

    private static final Path OPS = Path.of("..", "ops");
    private static final Pattern METRIC = Pattern.compile("\\b(sluice_[a-z_]+|jvm_[a-z_]+|hikaricp_[a-z_]+|kafka_consumer_[a-z_]+|kafka_stream_[a-z_]+)");

    @Test
    void theAlertRulesAndTheDashboardNameOnlyMetricsSluiceExposes() throws Exception {
        // given
        String alerts = Files.readString(OPS.resolve("prometheus/sluice-alerts.yml"));
        String dashboard = Files.readString(OPS.resolve("grafana/sluice-dashboard.json"));
        Map<String, Object> rules = new Yaml().load(alerts);
        assertThat((List<?>) rules.get("groups")).isNotEmpty();
        assertThat(SluiceClient.JSON.readTree(dashboard).get("panels").size()).isGreaterThanOrEqualTo(8);

        // when: a job went all the way (per-queue series appear with their queue's first job)
        try (TestReceiver receiver = TestReceiver.start().answering(d -> 200)) {
            SluiceClient.Tenant tenant = client.newOrganization(unique("monitoring"));
            SluiceClient.Receiver endpoint = client.newEndpoint(tenant, receiver.url("/m"));
            String job = client.post(tenant.apiKey(), "/api/v1/jobs", "{\"queue_name\":\"monitored\",\"endpoint_id\":\""
                    + endpoint.id() + "\",\"payload\":{}}").body().get("id").asString();
            awaitStatus(tenant, job, "completed");
        }
        String exposed = client.get(null, "/actuator/prometheus").raw();

        // then
        Set<String> named = new TreeSet<>();
        for (String text : List.of(alerts, dashboard)) {
            Matcher m = METRIC.matcher(text);
            while (m.find()) {
                named.add(m.group(1));
            }
        }
        assertThat(named).hasSizeGreaterThan(10);
        assertThat(named).allSatisfy(metric -> assertThat(exposed).as("exposed metrics")
                .containsPattern("(?m)^" + metric + "[{ ]"));
    }
}
