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
    PanelUserRef ensurePanelUser(PanelUserRequest request);

    /** The panel user whose external_id is {@code customerId}, or null when there is none. */
    @ActivityMethod
    PanelUserRef findPanelUserByExternalId(String customerId);

    /** The panel users whose email matches the filter (the panel matches loosely: the caller picks the exact one). */
    @ActivityMethod
    List<PanelUserRef> findPanelUsersByEmail(String email);

    /**
     * Creates the panel user with external_id = the customer id. A taken email, username or external_id fails with
     * {@link PanelFailures#VALIDATION}: the caller looks the user up again.
     */
    @ActivityMethod
    PanelUserRef createPanelUser(PanelUserRequest request);

    /** The server whose external_id is {@code externalId}, or null when there is none. */
    @ActivityMethod
    PanelServerRef findServerByExternalId(String externalId);

    /** The egg with its variables and their validation rules. */
    @ActivityMethod
    EggSpec describeEgg(int nestId, int eggId);

    /**
     * Reads the egg and resolves the server's environment from the plan's values and the customer's choices, each
     * held to the egg's rules; regex rules run here, time-bounded, never in workflow code. A refused value fails
     * non-retryably with type {@code EGG_VARIABLES_INVALID}, the {@code NAME: problem} list as details.
     */
    @ActivityMethod
    ResolvedEgg resolveEggVariables(int nestId, int eggId, Map<String, String> planEnvironment,
                                    Map<String, String> customerVariables);

    /**
     * Creates the server whose external_id is {@code externalId}. A repeat resolves to the existing server
     * (422 unique on external_id, or a client-side timeout followed by a lookup), so this is safe to retry.
     */
    @ActivityMethod
    PanelServerRef createServer(String externalId, ServerSpec spec);

    /** The server's current state; fails with {@link PanelFailures#NOT_FOUND} when it is gone. */
    @ActivityMethod
    PanelServerRef getServer(int panelServerId);

    /**
     * Deletes the server with this external_id if it exists; falls back to force delete when the node is dead.
     * Returns whether a server was deleted (false when there was none). Safe to repeat. A lookup and one or two
     * deletes in one activity, forcing after a count of attempts: kept for recorded runs only (orders before the
     * provision child); today's undos use {@link #findServerByExternalId}, {@link #removeServer} and
     * {@link #forceRemoveServer}, and decides by time.
     */
    @ActivityMethod
    boolean deleteServer(String externalId);

    /** Suspends the server (the panel stops it). A no-op on a suspended server, so safe to repeat. */
    @ActivityMethod
    void suspendServer(int panelServerId);

    /** Lifts a suspension. A no-op on a server that is not suspended. */
    @ActivityMethod
    void unsuspendServer(int panelServerId);

    /**
     * One normal delete. Returns false when the server is already gone. When Wings cannot be reached it fails with
     * {@link PanelFailures#NODE_UNREACHABLE} and leaves the decision to force to the workflow, which measures how long
     * the node has been unreachable.
     */
    @ActivityMethod
    boolean removeServer(int panelServerId);

    /** Deletes the panel's record without Wings (dead node). Returns false when the server is already gone. */
    @ActivityMethod
    boolean forceRemoveServer(int panelServerId);

    /** The server's current build (allocation, limits, feature limits). */
    @ActivityMethod
    ServerBuild getServerBuild(int panelServerId);

    /** Sets the server's build. Writes absolute values, so a repeat has one effect. */
    @ActivityMethod
    void updateBuild(int panelServerId, ServerBuild build);

    /** The server's current egg, image, startup command and variables. */
    @ActivityMethod
    ServerStartup getServerStartup(int panelServerId);

    /** Sets the server's egg, image, startup command and variables. Absolute values: safe to repeat. */
    @ActivityMethod
    void updateStartup(int panelServerId, ServerStartup startup);

    /**
     * Starts a reinstall (the panel runs the egg's install script again, the status goes back to
     * {@code installing}). The caller waits for the install by polling {@link #getServer}.
     */
    @ActivityMethod
    void reinstallServer(int panelServerId);
}
