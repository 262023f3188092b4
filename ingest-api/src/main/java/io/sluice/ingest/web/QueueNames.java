package io.sluice.ingest.web;

import io.sluice.core.job.QueueName;
import java.util.Map;

/** A queue name a request names, checked: 400 naming the problem (the Spooled messages: "Queue name", "alphanumeric"). */
public final class QueueNames {

    private QueueNames() {
    }

    public static String checked(String queueName) {
        String problem = QueueName.problemWith(queueName);
        if (problem != null) {
            throw ApiException.validation(problem, Map.of("field", "queue_name"));
        }
        return queueName;
    }
}
