package com.admintk.orchestrator.health;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * How long a request waits for a dependency that does not answer ({@code orchestrator.dependencies.*}). A dead
 * dependency must turn into a quick 503 the client can retry, never a request that hangs until a driver's default
 * (30 s for MongoDB's server selection, 60 s for Lettuce, a minute of retries for a Temporal start). The table of
 * what the API answers per dependency is in the README, "When a dependency is down".
 *
 * @param mongoServerSelection how long a MongoDB operation waits for a reachable server ({@code MONGODB_TIMEOUT});
 *                             also the connect timeout
 * @param mongoSocket          how long one MongoDB reply may take on an open connection ({@code MONGODB_SOCKET_TIMEOUT})
 * @param redisCommand         how long one Redis command may take ({@code REDIS_TIMEOUT}); also the connect timeout
 * @param temporalCall         deadline of one Temporal client call (start, signal, query, cancel, describe), its
 *                             retries included ({@code TEMPORAL_CALL_DEADLINE})
 */
@ConfigurationProperties("orchestrator.dependencies")
public record DependencyTimeouts(@NotNull @Bindable(defaultValue = "3s") Duration mongoServerSelection,
                                 @NotNull @Bindable(defaultValue = "10s") Duration mongoSocket,
                                 @NotNull @Bindable(defaultValue = "2s") Duration redisCommand,
                                 @NotNull @Bindable(defaultValue = "5s") Duration temporalCall) {
}
