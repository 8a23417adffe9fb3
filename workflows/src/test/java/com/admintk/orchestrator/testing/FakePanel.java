package com.admintk.orchestrator.testing;

import com.admintk.orchestrator.order.EggVariableResolver;
import com.admintk.orchestrator.order.OrderFailures;
import com.admintk.orchestrator.pterodactyl.EggSpec;
import com.admintk.orchestrator.pterodactyl.PanelFailures;
import com.admintk.orchestrator.pterodactyl.PanelServerRef;
import com.admintk.orchestrator.pterodactyl.PanelUserRef;
import com.admintk.orchestrator.pterodactyl.PanelUserRequest;
import com.admintk.orchestrator.pterodactyl.PterodactylActivities;
import com.admintk.orchestrator.pterodactyl.ResolvedEgg;
import com.admintk.orchestrator.pterodactyl.ServerBuild;
import com.admintk.orchestrator.pterodactyl.ServerSpec;
import com.admintk.orchestrator.pterodactyl.ServerStartup;
import io.temporal.failure.ApplicationFailure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A panel that keeps servers by external_id, installs after a number of polls, and fails on demand. Like the real
 * activity it never marks a failure non-retryable: the step's retry options decide.
 */
public class FakePanel implements PterodactylActivities {

    public enum Install { SUCCEEDS, FAILS, NEVER_FINISHES }

    private final Journal journal;
    private final Map<String, PanelServerRef> servers = new LinkedHashMap<>();
    private final Map<String, ServerSpec> specs = new LinkedHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(100);
    private final AtomicInteger polls = new AtomicInteger();

    public volatile Install install = Install.SUCCEEDS;
    public volatile int pollsUntilInstallEnds = 2;
    public volatile boolean noCapacity;
    /** Allocations another server holds: a create naming one is refused (422 on allocation.*). */
    public final java.util.Set<Integer> takenAllocations = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** How many create attempts answer 503 before one succeeds (the first of them creates the server anyway). */
    public volatile int createUnavailable;
    /** How many getServer calls answer 503. */
    public volatile int probeUnavailable;
    /** The failure type every getServer call answers with, null for none. */
    public volatile String probeFailure;
    public volatile EggSpec egg = minecraftEgg();
    /**
     * The failure type deleteServer and removeServer answer with (like a revoked key: PanelAccessDenied), null for
     * none.
     */
    public volatile String deleteFailure;
    /** How many deletes fail with {@link #deleteFailure}; {@code Integer.MAX_VALUE} for every one. */
    public volatile int deleteFailures = Integer.MAX_VALUE;

    /** While true, normal deletes answer as if Wings on the node could not be reached. */
    public volatile boolean nodeUnreachable;
    /** How many normal deletes answer as if the node were unreachable before it comes back. */
    public volatile int unreachableRemoves;
    /** The failure type every createPanelUser answers with, null for none. */
    public volatile String createUserFailure;
    private final java.util.Set<Integer> suspended = new java.util.HashSet<>();
    private final Map<Integer, ServerBuild> builds = new LinkedHashMap<>();
    private final Map<Integer, ServerStartup> startups = new LinkedHashMap<>();

    private final List<PanelUserRef> users = new ArrayList<>();
    /** The first user made gets id 7. */
    private final AtomicInteger nextUserId = new AtomicInteger(6);
    /**
     * A user that another order creates between this one's lookup and its create: the next createPanelUser adds it
     * and answers 422 (email taken), as the panel would.
     */
    public volatile PanelUserRequest userCreatedMeanwhile;

    /** The region of every panel call, in order ("default" for null): where the workflows sent each call. */
    private final List<String> regions = java.util.Collections.synchronizedList(new ArrayList<>());

    public FakePanel(Journal journal) {
        this.journal = journal;
    }

    private void seen(String region) {
        regions.add(region == null ? "default" : region);
    }

    /** The regions the workflows called, one entry per panel call. */
    public List<String> regionsCalled() {
        synchronized (regions) {
            return List.copyOf(regions);
        }
    }

    public static EggSpec minecraftEgg() {
        return new EggSpec(5, 1, "Paper", "ghcr.io/pterodactyl/yolks:java_17", "java -jar {{SERVER_JARFILE}}", List.of(
                new EggSpec.EggVariable("SERVER_JARFILE", "server.jar", "required|regex:/^([\\w\\d._-]+)(\\.jar)$/", true, true),
                new EggSpec.EggVariable("MINECRAFT_VERSION", "latest", "nullable|string|max:20", true, true),
                new EggSpec.EggVariable("MAX_PLAYERS", "20", "required|integer|between:1,200", true, true),
                new EggSpec.EggVariable("BUILD_NUMBER", "latest", "required|string|max:20", true, false)));
    }

    @Override
    public PanelUserRef ensurePanelUser(PanelUserRequest request, String region) {
        seen(region);
        journal.add("panel.ensurePanelUser:" + request.customerId());
        return new PanelUserRef(7, request.customerId(), request.email());
    }

    /** A panel user that exists before any order, e.g. a customer who had a panel account already. */
    public synchronized PanelUserRef addUser(String externalId, String email) {
        PanelUserRef user = new PanelUserRef(nextUserId.incrementAndGet(), externalId, email);
        users.add(user);
        return user;
    }

    public synchronized List<PanelUserRef> users() {
        return List.copyOf(users);
    }

    @Override
    public synchronized PanelUserRef findPanelUserByExternalId(String customerId, String region) {
        seen(region);
        journal.add("panel.findPanelUserByExternalId:" + customerId);
        return users.stream().filter(u -> customerId.equals(u.externalId())).findFirst().orElse(null);
    }

    /** Like the panel's filter, a loose match: the caller must pick the exact address. */
    @Override
    public synchronized List<PanelUserRef> findPanelUsersByEmail(String email, String region) {
        seen(region);
        journal.add("panel.findPanelUsersByEmail:" + email);
        return users.stream().filter(u -> u.email() != null && u.email().toLowerCase().contains(email.toLowerCase()))
                .toList();
    }

    @Override
    public synchronized PanelUserRef createPanelUser(PanelUserRequest request, String region) {
        seen(region);
        journal.add("panel.createPanelUser:" + request.customerId());
        if (createUserFailure != null) {
            throw ApplicationFailure.newFailure("user " + request.customerId() + " refused", createUserFailure);
        }
        PanelUserRequest meanwhile = userCreatedMeanwhile;
        if (meanwhile != null) {
            userCreatedMeanwhile = null;
            addUser(meanwhile.customerId(), meanwhile.email());
        }
        boolean taken = users.stream().anyMatch(u -> request.customerId().equals(u.externalId())
                || request.email().equalsIgnoreCase(u.email()));
        if (taken) {
            throw ApplicationFailure.newFailure("The email has already been taken.", PanelFailures.VALIDATION);
        }
        return addUser(request.customerId(), request.email());
    }

    @Override
    public synchronized PanelServerRef findServerByExternalId(String externalId, String region) {
        seen(region);
        journal.add("panel.findServerByExternalId:" + externalId);
        return servers.get(externalId);
    }

    @Override
    public EggSpec describeEgg(int nestId, int eggId, String region) {
        seen(region);
        journal.add("panel.describeEgg:" + nestId + "/" + eggId);
        return egg;
    }

    /** The real resolver with a plain regex check: the fake eggs hold no pattern that could backtrack for long. */
    @Override
    public ResolvedEgg resolveEggVariables(int nestId, int eggId, Map<String, String> planEnvironment,
                                           Map<String, String> customerVariables, String region) {
        seen(region);
        journal.add("panel.resolveEggVariables:" + nestId + "/" + eggId);
        EggVariableResolver.Resolution resolution = EggVariableResolver.resolve(egg, planEnvironment,
                customerVariables, (pattern, value) -> pattern.matcher(value).find()
                        ? Optional.empty() : Optional.of("has an invalid format"));
        if (!resolution.valid()) {
            throw ApplicationFailure.newNonRetryableFailure(
                    "invalid game settings: " + String.join("; ", resolution.problems()),
                    OrderFailures.EGG_VARIABLES_INVALID, resolution.problems());
        }
        return new ResolvedEgg(egg.dockerImage(), egg.startup(), resolution.environment());
    }

    @Override
    public synchronized PanelServerRef createServer(String externalId, ServerSpec spec, String region) {
        seen(region);
        journal.add("panel.createServer:" + externalId);
        if (noCapacity) {
            throw ApplicationFailure.newFailure("No viable node", PanelFailures.NO_CAPACITY);
        }
        List<Integer> named = new java.util.ArrayList<>();
        if (spec != null && spec.allocationId() != null) {
            named.add(spec.allocationId());
        }
        if (spec != null && spec.additionalAllocationIds() != null) {
            named.addAll(spec.additionalAllocationIds());
        }
        if (named.stream().anyMatch(takenAllocations::contains)) {
            throw ApplicationFailure.newFailure("The selected allocation is invalid.", PanelFailures.ALLOCATION_TAKEN);
        }
        PanelServerRef existing = servers.get(externalId);
        if (existing == null) {
            existing = new PanelServerRef(nextId.incrementAndGet(), externalId, "uuid-" + externalId,
                    "id" + nextId.get(), "installing", false, 1);
            servers.put(externalId, existing);
            specs.put(externalId, spec);
        }
        if (createUnavailable > 0) {
            createUnavailable--;
            // The create landed but the answer was lost: the retry must resolve to the same server.
            throw ApplicationFailure.newFailure("502 Bad Gateway", PanelFailures.UNAVAILABLE);
        }
        return existing;
    }

    @Override
    public synchronized PanelServerRef getServer(int panelServerId, String region) {
        seen(region);
        journal.add("panel.getServer:" + panelServerId);
        if (probeFailure != null) {
            throw ApplicationFailure.newFailure("probe of " + panelServerId + " refused", probeFailure);
        }
        if (probeUnavailable > 0) {
            probeUnavailable--;
            throw ApplicationFailure.newFailure("429 Too Many Attempts", PanelFailures.UNAVAILABLE);
        }
        PanelServerRef server = servers.values().stream().filter(s -> s.id() == panelServerId).findFirst()
                .orElseThrow(() -> ApplicationFailure.newFailure("no server " + panelServerId,
                        PanelFailures.NOT_FOUND));
        if (polls.incrementAndGet() < pollsUntilInstallEnds || install == Install.NEVER_FINISHES) {
            return server;
        }
        PanelServerRef after = new PanelServerRef(server.id(), server.externalId(), server.uuid(), server.identifier(),
                install == Install.FAILS ? "install_failed" : null, false, server.node());
        servers.put(server.externalId(), after);
        return after;
    }

    @Override
    public synchronized boolean deleteServer(String externalId, String region) {
        seen(region);
        journal.add("panel.deleteServer:" + externalId);
        if (deleteFailure != null && deleteFailures > 0) {
            deleteFailures--;
            throw ApplicationFailure.newFailure("delete of " + externalId + " refused", deleteFailure);
        }
        specs.remove(externalId);
        return servers.remove(externalId) != null;
    }

    public synchronized Map<String, PanelServerRef> servers() {
        return Map.copyOf(servers);
    }

    public synchronized ServerSpec specOf(String externalId) {
        return specs.get(externalId);
    }

    public int polls() {
        return polls.get();
    }

    @Override
    public synchronized void suspendServer(int panelServerId, String region) {
        seen(region);
        journal.add("panel.suspendServer:" + panelServerId);
        requireServer(panelServerId);
        suspended.add(panelServerId);
    }

    @Override
    public synchronized void unsuspendServer(int panelServerId, String region) {
        seen(region);
        journal.add("panel.unsuspendServer:" + panelServerId);
        requireServer(panelServerId);
        suspended.remove(panelServerId);
    }

    @Override
    public synchronized boolean removeServer(int panelServerId, String region) {
        seen(region);
        journal.add("panel.removeServer:" + panelServerId);
        if (deleteFailure != null && deleteFailures > 0) {
            deleteFailures--;
            throw ApplicationFailure.newFailure("delete of " + panelServerId + " refused", deleteFailure);
        }
        if (byId(panelServerId) == null) {
            return false;
        }
        if (nodeUnreachable || unreachableRemoves > 0) {
            unreachableRemoves = Math.max(0, unreachableRemoves - 1);
            throw ApplicationFailure.newFailure("504 DaemonConnectionException", PanelFailures.NODE_UNREACHABLE);
        }
        return forget(panelServerId);
    }

    @Override
    public synchronized boolean forceRemoveServer(int panelServerId, String region) {
        seen(region);
        journal.add("panel.forceRemoveServer:" + panelServerId);
        return byId(panelServerId) != null && forget(panelServerId);
    }

    public synchronized boolean isSuspended(int panelServerId) {
        return suspended.contains(panelServerId);
    }

    private boolean forget(int panelServerId) {
        PanelServerRef server = byId(panelServerId);
        servers.remove(server.externalId());
        specs.remove(server.externalId());
        suspended.remove(panelServerId);
        return true;
    }

    private PanelServerRef byId(int panelServerId) {
        return servers.values().stream().filter(s -> s.id() == panelServerId).findFirst().orElse(null);
    }

    private void requireServer(int panelServerId) {
        if (byId(panelServerId) == null) {
            throw ApplicationFailure.newFailure("no server " + panelServerId, PanelFailures.NOT_FOUND);
        }
    }

    /** A server made without a spec has the build of {@code SagaRig.plan()} (4 GiB). */
    @Override
    public synchronized ServerBuild getServerBuild(int panelServerId, String region) {
        seen(region);
        journal.add("panel.getServerBuild:" + panelServerId);
        requireServer(panelServerId);
        return buildOf(panelServerId);
    }

    /** Journaled with the memory it sets, so tests can see a build patched and put back. */
    @Override
    public synchronized void updateBuild(int panelServerId, ServerBuild build, String region) {
        seen(region);
        journal.add("panel.updateBuild:" + panelServerId + ":" + build.limits().memory());
        requireServer(panelServerId);
        builds.put(panelServerId, build);
    }

    @Override
    public synchronized ServerStartup getServerStartup(int panelServerId, String region) {
        seen(region);
        journal.add("panel.getServerStartup:" + panelServerId);
        requireServer(panelServerId);
        return startupOf(panelServerId);
    }

    @Override
    public synchronized void updateStartup(int panelServerId, ServerStartup startup, String region) {
        seen(region);
        journal.add("panel.updateStartup:" + panelServerId + ":" + startup.eggId());
        requireServer(panelServerId);
        startups.put(panelServerId, startup);
    }

    /** Back to installing; the install then ends as {@link #install} says, after {@link #pollsUntilInstallEnds}. */
    @Override
    public synchronized void reinstallServer(int panelServerId, String region) {
        seen(region);
        journal.add("panel.reinstallServer:" + panelServerId);
        requireServer(panelServerId);
        PanelServerRef server = byId(panelServerId);
        servers.put(server.externalId(), new PanelServerRef(server.id(), server.externalId(), server.uuid(),
                server.identifier(), "installing", false, server.node()));
        polls.set(0);
    }

    public synchronized ServerBuild buildOf(int panelServerId) {
        ServerBuild build = builds.get(panelServerId);
        if (build != null) {
            return build;
        }
        PanelServerRef server = byId(panelServerId);
        ServerSpec spec = server == null ? null : specs.get(server.externalId());
        return spec == null ? new ServerBuild(1, new ServerSpec.Limits(4096, 0, 20480, 500, 200),
                new ServerSpec.FeatureLimits(2, 1, 3))
                : new ServerBuild(spec.allocationId() == null ? 1 : spec.allocationId(), spec.limits(),
                spec.featureLimits());
    }

    public synchronized ServerStartup startupOf(int panelServerId) {
        ServerStartup startup = startups.get(panelServerId);
        return startup != null ? startup
                : new ServerStartup(egg.id(), egg.dockerImage(), egg.startup(), Map.of("SERVER_JARFILE", "server.jar"));
    }
}
