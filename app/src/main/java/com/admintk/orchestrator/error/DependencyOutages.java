package com.admintk.orchestrator.error;

import com.mongodb.MongoConnectionPoolClearedException;
import com.mongodb.MongoExecutionTimeoutException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoServerUnavailableException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.micronaut.http.HttpStatus;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one place that tells "a dependency is down" from a bug: a failure whose cause chain holds a MongoDB, Temporal
 * or Redis connectivity error becomes a 503 with a code naming what is down, whichever controller, filter or service
 * it escaped from. Callers that degrade on purpose (rate limits, capacity, live events) catch their failures
 * themselves; this is the net for everything else. The README's "When a dependency is down" lists the answers.
 */
public final class DependencyOutages {

    public static final String STORE_UNAVAILABLE = "STORE_UNAVAILABLE";
    public static final String ORCHESTRATION_UNAVAILABLE = "ORCHESTRATION_UNAVAILABLE";
    public static final String SHARED_STATE_UNAVAILABLE = "SHARED_STATE_UNAVAILABLE";

    /** A client may retry these after a short wait; the header says how short. */
    static final String RETRY_AFTER_SECONDS = "5";

    /** Temporal answers that mean "not reachable now" rather than "refused": the call may be retried as it is. */
    private static final Set<Status.Code> TEMPORAL_DOWN = Set.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED);

    private DependencyOutages() {
    }

    /** The 503 for {@code failure}, or empty when nothing in its cause chain is an outage. */
    public static Optional<ApiException> of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (storeDown(t)) {
                return Optional.of(unavailable(STORE_UNAVAILABLE, "The order store is unavailable; retry shortly",
                        "mongodb"));
            }
            if (t instanceof StatusRuntimeException grpc && TEMPORAL_DOWN.contains(grpc.getStatus().getCode())) {
                return Optional.of(unavailable(ORCHESTRATION_UNAVAILABLE,
                        "The orchestration service is unavailable; nothing was started, retry shortly", "temporal"));
            }
            if (redisDown(t)) {
                return Optional.of(unavailable(SHARED_STATE_UNAVAILABLE,
                        "Shared state (Redis) is unavailable; retry shortly", "redis"));
            }
        }
        return Optional.empty();
    }

    /** A 503 naming the dependency, with {@code Retry-After}. */
    public static ApiException unavailable(String code, String message, String dependency) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, code, message, Map.of("dependency", dependency),
                Map.of("Retry-After", RETRY_AFTER_SECONDS));
    }

    private static boolean storeDown(Throwable t) {
        return t instanceof MongoTimeoutException || t instanceof MongoSocketException
                || t instanceof MongoConnectionPoolClearedException || t instanceof MongoNotPrimaryException
                || t instanceof MongoNodeIsRecoveringException || t instanceof MongoServerUnavailableException
                || t instanceof MongoExecutionTimeoutException;
    }

    /** Lettuce reports a lost or refused connection as a plain RedisException ("Connection closed"). */
    private static boolean redisDown(Throwable t) {
        return t instanceof RedisConnectionException || t instanceof RedisCommandTimeoutException
                || (t instanceof RedisException && t.getClass() == RedisException.class);
    }
}
