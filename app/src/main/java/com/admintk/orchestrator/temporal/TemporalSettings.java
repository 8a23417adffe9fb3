package com.admintk.orchestrator.temporal;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;
import java.util.List;

/**
 * Where Temporal is and how this process uses it.
 *
 * @param target        host:port of the frontend ({@code TEMPORAL_ADDRESS})
 * @param namespace     the namespace ({@code TEMPORAL_NAMESPACE})
 * @param uiUrl         base URL of the Temporal Web UI, for links in API responses ({@code TEMPORAL_UI_URL})
 * @param taskQueues    the task queues this worker polls ({@code WORKER_TASK_QUEUES})
 * @param testServer    true against the Temporal Java test server, which never times out sticky queues
 * @param shutdownGrace how long a stopping worker waits for in-flight tasks before handing them back
 */
@ConfigurationProperties("temporal")
public record TemporalSettings(@NotBlank String target,
                               @NotBlank String namespace,
                               @NotBlank String uiUrl,
                               @NotEmpty List<String> taskQueues,
                               @Bindable(defaultValue = "false") boolean testServer,
                               @NotNull @Bindable(defaultValue = "30s") Duration shutdownGrace) {

    /** A link to one workflow run in the Web UI. */
    public String runLink(String workflowId) {
        String base = uiUrl.endsWith("/") ? uiUrl.substring(0, uiUrl.length() - 1) : uiUrl;
        return base + "/namespaces/" + namespace + "/workflows/" + workflowId;
    }
}
