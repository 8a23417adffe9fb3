package com.admintk.orchestrator.server;

import com.admintk.orchestrator.pterodactyl.ServerSpec;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the servers API answers. */
public final class ServerViews {

    /** {@link Lifecycle#source()}: the lifecycle workflow answered its state query. */
    public static final String FROM_LIFECYCLE = "LIFECYCLE";
    /**
     * {@link Lifecycle#source()}: the stored record, because the lifecycle could not be asked (no worker answering, the
     * run is gone) or, in lists, was not asked. Dunning details and the history are then unknown.
     */
    public static final String FROM_STORE = "STORE";

    private ServerViews() {
    }

    /**
     * An accepted server action: {@code action} ({@code renew}, {@code cancel}, {@code change-plan},
     * {@code reinstall}, {@code suspend}, {@code unsuspend}, {@code terminate}), the workflow that carries it out
     * ({@code server:{id}} for the lifecycle's own signals, a child for renewals, plan changes and reinstalls), and
     * whether that workflow was already running for an earlier request. {@code links.run}, the run in the Temporal
     * Web UI, is in admins' answers only.
     */
    @Serdeable
    public record Accepted(String serverId, String action, String workflowId, boolean alreadyRunning,
                           Map<String, String> links) {
    }

    /**
     * The plan a server runs: its id, name and limits from the catalog (null when the plan left the catalog), its
     * price and billing terms as sold (from the server's record).
     */
    @Serdeable
    public record Plan(String id, @Nullable String name, @Nullable ServerSpec.Limits limits,
                       @Nullable ServerSpec.FeatureLimits featureLimits, long priceCoins, long priceAmountMinor,
                       @Nullable String currency, @Nullable String billingCycle, @Nullable String paymentMethod) {
    }

    /** Where the server lives on the panel: numeric id, uuid, short identifier, node and our external_id. */
    @Serdeable
    public record Panel(int serverId, @Nullable String uuid, @Nullable String identifier, int node,
                        @Nullable String externalId) {
    }

    /**
     * The lifecycle's state. {@code status}: {@code ACTIVE}, {@code PAST_DUE}, {@code SUSPENDED} ({@code suspension}:
     * {@code NON_PAYMENT}, {@code ADMIN}, {@code ABUSE}), {@code TERMINATED}, or {@code RELEASED} (its order undid
     * it before delivery). {@code nextAttemptAt}: the next renewal charge while past due; {@code graceEndsAt}: when
     * an unpaid suspended server is terminated. {@code source}: {@link #FROM_LIFECYCLE} or {@link #FROM_STORE}.
     */
    @Serdeable
    public record Lifecycle(String status, @Nullable String suspension, @Nullable String reason,
                            @Nullable Instant renewsAt, @Nullable Instant nextAttemptAt, @Nullable Instant graceEndsAt,
                            boolean cancelAtPeriodEnd, int failedChargeAttempts, String source) {
    }

    /** A change of the lifecycle's status, or an event worth showing without one (a renewal, a cancellation). */
    @Serdeable
    public record Transition(Instant at, @Nullable String from, String to, @Nullable String suspension,
                             @Nullable String reason) {
    }

    /** A server: its plan, where it is on the panel, its lifecycle and the lifecycle's recent history. */
    @Serdeable
    public record Server(String id, String name, String customerId, String orderId, String status, Plan plan,
                         Panel panel, Lifecycle lifecycle, List<Transition> history, @Nullable Instant createdAt,
                         @Nullable Instant terminatedAt, Map<String, String> links) {
    }

    @Serdeable
    public record Page(List<Server> items, int page, int size, long total) {
    }
}
