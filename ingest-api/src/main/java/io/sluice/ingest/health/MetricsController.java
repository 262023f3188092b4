package io.sluice.ingest.health;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * {@code GET /metrics}: the Prometheus scrape at the root path Spooled clients read it from. It is
 * the actuator's own {@code /actuator/prometheus}, forwarded, so the two can never differ.
 */
@Controller
public class MetricsController {

    @GetMapping("/metrics")
    public String metrics() {
        return "forward:/actuator/prometheus";
    }
}
