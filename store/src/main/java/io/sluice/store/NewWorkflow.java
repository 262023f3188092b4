package io.sluice.store;

import io.sluice.core.workflow.DependencyMode;
import java.util.List;
import java.util.UUID;

/**
 * A workflow to create: its jobs, each under its key, with the keys it depends on.
 *
 * @param metadata JSON text, or null
 */
public record NewWorkflow(UUID id, UUID organizationId, String name, String description, String metadata,
                          List<Member> jobs) {

    public NewWorkflow {
        jobs = List.copyOf(jobs);
    }

    /** One job of the workflow; {@code mode} matters only when it has dependencies. */
    public record Member(String key, NewJob job, List<String> dependsOn, DependencyMode mode) {
        public Member {
            dependsOn = List.copyOf(dependsOn);
        }
    }
}
