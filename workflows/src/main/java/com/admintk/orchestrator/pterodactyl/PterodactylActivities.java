package com.admintk.orchestrator.pterodactyl;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

import java.util.List;
import java.util.Map;

/**
 * Panel calls as the sagas see them. Runs on the {@code pterodactyl} task queue under one global rate limit.
 *
 * <p>Failures surface as {@code ApplicationFailure} with the types in {@link PanelFailures}; retryable ones are
 * left to the activity retry policy, non-retryable ones fail the step at once.
 *
 * <p>Every method takes the {@code region} (the panel) it calls last: null is the default region, which is what runs
 * recorded before regions carry (their payloads have no such argument, and a missing trailing argument reads as
 * null). A region that is not configured fails the attempt as {@link PanelFailures#UNAVAILABLE}: an operator can put
 * it back, and a server must not be looked for on a panel it does not live on.
 */
@ActivityInterface
public interface PterodactylActivities {

    /**
     * Finds the panel user whose external_id is the customer id, or by email, and creates it when missing: several
     * panel calls in one activity. Only for orders recorded before the provision child ({@code provision-child}
     * DEFAULT_VERSION), which replay it; new code ensures the user in {@code ProvisionServerWorkflow} with the
     * one-call activities below.
     */
    @ActivityMethod
    PanelUserRef ensurePanelUser(PanelUserRequest request, String region);

    /** The panel user whose external_id is {@code customerId}, or null when there is none. */
    @ActivityMethod
    PanelUserRef findPanelUserByExternalId(String customerId, String region);

    /** The panel users whose email matches the filter (the panel matches loosely: the caller picks the exact one). */
    @ActivityMethod
    List<PanelUserRef> findPanelUsersByEmail(String email, String region);

    /**
     * Creates the panel user with external_id = the customer id. A taken email, username or external_id fails with
     * {@link PanelFailures#VALIDATION}: the caller looks the user up again.
     */
    @ActivityMethod
    PanelUserRef createPanelUser(PanelUserRequest request, String region);

    /** The server whose external_id is {@code externalId}, or null when there is none. */
    @ActivityMethod
    PanelServerRef findServerByExternalId(String externalId, String region);

    /** The egg with its variables and their validation rules. */
    @ActivityMethod
    EggSpec describeEgg(int nestId, int eggId, String region);

    /**
     * Reads the egg and resolves the server's environment from the plan's values and the customer's choices, each
     * held to the egg's rules; regex rules run here, time-bounded, never in workflow code. A refused value fails
     * non-retryably with type {@code EGG_VARIABLES_INVALID}, the {@code NAME: problem} list as details.
     */
    @ActivityMethod
    ResolvedEgg resolveEggVariables(int nestId, int eggId, Map<String, String> planEnvironment,
                                    Map<String, String> customerVariables, String region);

    /**
     * Creates the server whose external_id is {@code externalId}. A repeat resolves to the existing server
     * (422 unique on external_id, or a client-side timeout followed by a lookup), so this is safe to retry.
     */
    @ActivityMethod
    PanelServerRef createServer(String externalId, ServerSpec spec, String region);

    /** The server's current state; fails with {@link PanelFailures#NOT_FOUND} when it is gone. */
    @ActivityMethod
    PanelServerRef getServer(int panelServerId, String region);

    /**
     * Deletes the server with this external_id if it exists; falls back to force delete when the node is dead.
     * Returns whether a server was deleted (false when there was none). Safe to repeat. A lookup and one or two
     * deletes in one activity, forcing after a count of attempts: kept for recorded runs only (orders before the
     * provision child); today's undos use {@link #findServerByExternalId}, {@link #removeServer} and
     * {@link #forceRemoveServer}, and decides by time.
     */
    @ActivityMethod
    boolean deleteServer(String externalId, String region);

    /** Suspends the server (the panel stops it). A no-op on a suspended server, so safe to repeat. */
    @ActivityMethod
    void suspendServer(int panelServerId, String region);

    /** Lifts a suspension. A no-op on a server that is not suspended. */
    @ActivityMethod
    void unsuspendServer(int panelServerId, String region);

    /**
     * One normal delete. Returns false when the server is already gone. When Wings cannot be reached it fails with
     * {@link PanelFailures#NODE_UNREACHABLE} and leaves the decision to force to the workflow, which measures how long
     * the node has been unreachable.
     */
    @ActivityMethod
    boolean removeServer(int panelServerId, String region);

    /** Deletes the panel's record without Wings (dead node). Returns false when the server is already gone. */
    @ActivityMethod
    boolean forceRemoveServer(int panelServerId, String region);

    /** The server's current build (allocation, limits, feature limits). */
    @ActivityMethod
    ServerBuild getServerBuild(int panelServerId, String region);

    /** Sets the server's build. Writes absolute values, so a repeat has one effect. */
    @ActivityMethod
    void updateBuild(int panelServerId, ServerBuild build, String region);

    /** The server's current egg, image, startup command and variables. */
    @ActivityMethod
    ServerStartup getServerStartup(int panelServerId, String region);

    /** Sets the server's egg, image, startup command and variables. Absolute values: safe to repeat. */
    @ActivityMethod
    void updateStartup(int panelServerId, ServerStartup startup, String region);

    /**
     * Starts a reinstall (the panel runs the egg's install script again, the status goes back to
     * {@code installing}). The caller waits for the install by polling {@link #getServer}.
     */
    @ActivityMethod
    void reinstallServer(int panelServerId, String region);
}
