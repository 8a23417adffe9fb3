package com.admintk.orchestrator.server;

import com.admintk.orchestrator.common.TaskQueues;
import com.admintk.orchestrator.identity.UserRecord;
import com.admintk.orchestrator.identity.UserRepository;
import com.admintk.orchestrator.plan.Plan;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.serde.ObjectMapper;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Raises an alert when a server stays above its plan's CPU or memory alert level for the configured time, once per
 * episode, and clears it when the server drops below. The episode lives in Redis ({@code live:alert:{serverId}}:
 * when it began, whether it was raised), not in this process: a new poller leader continues the episode instead of
 * alerting again. An alert goes to the server's WebSocket subscribers ({@code live:events:{serverId}}, type
 * {@code alert}), to the customer by email (a {@link ServerResourceAlertWorkflow} on the notifications queue) and to
 * {@code server_resource_alerts_total{resource}}. Run by the poller's leader only.
 */
final class ResourceAlerts {

    private static final Logger LOG = LoggerFactory.getLogger(ResourceAlerts.class);
    static final String ALERT_PREFIX = "live:alert:";
    /** An episode of a server that is no longer evaluated (suspended, deleted) is forgotten after this. */
    private static final Duration EPISODE_KEEP = Duration.ofDays(1);
    private static final double MIB = 1024.0 * 1024.0;

    /** What one evaluation found for one resource of one server. */
    record Level(String resource, double percent, boolean raised) {
    }

    private final RedisCommands<String, String> redis;
    private final LiveStats stats;
    private final LiveStatsSettings settings;
    private final WorkflowClient temporal;
    private final UserRepository users;
    private final ObjectMapper json;
    private final MeterRegistry registry;

    ResourceAlerts(RedisCommands<String, String> redis, LiveStats stats, LiveStatsSettings settings,
                   WorkflowClient temporal, UserRepository users, ObjectMapper json, MeterRegistry registry) {
        this.redis = redis;
        this.stats = stats;
        this.settings = settings;
        this.temporal = temporal;
        this.users = users;
        this.json = json;
        this.registry = registry;
    }

    /**
     * Evaluates one server's latest figures against its plan. Empty when there is nothing to judge: stale figures
     * (their writer is gone: the episode is left as it is until fresh figures arrive) or a plan without limits.
     */
    List<Level> evaluate(Document server, Plan plan, LiveStats.Reading reading, long nowMillis) {
        if (nowMillis - reading.atMillis() > settings.staleAfter().toMillis()) {
            return List.of();
        }
        String serverId = server.getString("_id");
        int cpuLimit = plan.limits().cpu();
        int memoryLimit = plan.limits().memory();
        Level cpu = cpuLimit <= 0 ? null : judge(server, ServerResourceAlert.CPU,
                100.0 * reading.cpu() / cpuLimit, settings.cpuAlertPercent(), nowMillis);
        Level memory = memoryLimit <= 0 ? null : judge(server, ServerResourceAlert.MEMORY,
                100.0 * reading.memoryBytes() / MIB / memoryLimit, settings.memoryAlertPercent(), nowMillis);
        redis.pexpire(ALERT_PREFIX + serverId, EPISODE_KEEP.toMillis());
        return java.util.stream.Stream.of(cpu, memory).filter(java.util.Objects::nonNull).toList();
    }

    private Level judge(Document server, String resource, double percent, int threshold, long nowMillis) {
        String key = ALERT_PREFIX + server.getString("_id");
        String sinceField = resource + "Since";
        String raisedField = resource + "Raised";
        if (percent < threshold) {
            // HDEL says whether there was an episode; only a raised one is cleared where people can see it
            String raised = redis.hget(key, raisedField);
            String since = redis.hget(key, sinceField);
            if (redis.hdel(key, sinceField, raisedField) > 0 && raised != null) {
                clear(server, resource, percent, threshold, Long.parseLong(since == null ? raised : since), nowMillis);
            }
            return new Level(resource, percent, false);
        }
        redis.hsetnx(key, sinceField, String.valueOf(nowMillis));
        long since = Long.parseLong(Optional.ofNullable(redis.hget(key, sinceField)).orElse(String.valueOf(nowMillis)));
        if (redis.hexists(key, raisedField)) {
            return new Level(resource, percent, true);
        }
        if (nowMillis - since < settings.alertAfter().toMillis()) {
            return new Level(resource, percent, false);
        }
        // HSETNX: of two leaders in a handover, only one raises the episode
        if (redis.hsetnx(key, raisedField, String.valueOf(nowMillis))) {
            raise(server, resource, percent, threshold, since, nowMillis);
        }
        return new Level(resource, percent, true);
    }

    private void raise(Document server, String resource, double percent, int threshold, long since, long nowMillis) {
        String serverId = server.getString("_id");
        LOG.warn("server {}: {} at {}% of its plan's limit since {} (alert level {}%)", serverId, resource,
                Math.round(percent), since, threshold);
        Counter.builder("server.resource.alerts").description("Servers that stayed above a resource alert level")
                .tag("resource", resource).register(registry).increment();
        publish(serverId, event("RAISED", serverId, resource, percent, threshold, since, nowMillis));
        tellCustomer(server, resource, percent, threshold, since);
    }

    private void clear(Document server, String resource, double percent, int threshold, long since, long nowMillis) {
        String serverId = server.getString("_id");
        LOG.info("server {}: {} back below its alert level ({}%)", serverId, resource, Math.round(percent));
        publish(serverId, event("CLEARED", serverId, resource, percent, threshold, since, nowMillis));
    }

    private void publish(String serverId, Map<String, Object> event) {
        try {
            stats.publish(serverId, json.writeValueAsString(event));
        } catch (IOException | RuntimeException e) {
            LOG.warn("server {}: alert event not published: {}", serverId, e.toString());
        }
    }

    private static Map<String, Object> event(String status, String serverId, String resource, double percent,
                                             int threshold, long since, long nowMillis) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "alert");
        event.put("status", status);
        event.put("serverId", serverId);
        event.put("resource", resource);
        event.put("percent", Math.round(percent * 10) / 10.0);
        event.put("thresholdPercent", threshold);
        event.put("sinceMillis", since);
        event.put("atMillis", nowMillis);
        return event;
    }

    /** Through Temporal, so the email is retried and deduplicated like every other customer notification. */
    private void tellCustomer(Document server, String resource, double percent, int threshold, long since) {
        String serverId = server.getString("_id");
        String customerId = server.getString("customerId");
        String email = customerId == null ? null : users.findById(customerId).map(UserRecord::email).orElse(null);
        ServerResourceAlert alert = new ServerResourceAlert(serverId, customerId, email, server.getString("name"),
                resource, percent, threshold, since, settings.alertAfter().toSeconds());
        String workflowId = ServerResourceAlertWorkflow.workflowId(serverId, resource, since);
        ServerResourceAlertWorkflow workflow = temporal.newWorkflowStub(ServerResourceAlertWorkflow.class,
                WorkflowOptions.newBuilder().setWorkflowId(workflowId).setTaskQueue(TaskQueues.ORCHESTRATION)
                        // one episode is one email, even after the first run finished
                        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                        .build());
        try {
            WorkflowClient.start(workflow::tellCustomer, alert);
        } catch (WorkflowExecutionAlreadyStarted repeat) {
            LOG.debug("server {}: alert {} already sent", serverId, workflowId);
        } catch (RuntimeException e) {
            LOG.warn("server {}: alert email not queued ({}): {}", serverId, workflowId, e.toString());
        }
    }
}
