package com.admintk.orchestrator.pterodactyl;

import com.admintk.orchestrator.order.EggVariableResolver;
import com.admintk.orchestrator.order.OrderFailures;
import io.temporal.failure.ApplicationFailure;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The panel calls of the sagas: translates to {@link PanelClient} calls and maps {@link PanelException}s to
 * {@link ApplicationFailure}s of the {@link PanelFailures} types. It makes no business decisions and never waits: a
 * 429 or an empty rate-limit bucket fails the attempt with the wait as Temporal's next-retry delay. Between the panel
 * calls of one activity it heartbeats, so a cancellation stops it before the next call.
 */
@Singleton
public class PterodactylActivitiesImpl implements PterodactylActivities {

    /** Normal delete attempts (with Temporal's backoff between them) before a daemon error means a dead node. */
    static final int FORCE_DELETE_AFTER_ATTEMPTS = 3;

    private final PanelRegions regions;

    @jakarta.inject.Inject
    public PterodactylActivitiesImpl(PanelRegions regions) {
        this.regions = regions;
    }

    /** One panel, the default region: tools and tests that are not about regions. */
    public PterodactylActivitiesImpl(PanelClient panel) {
        this(PanelRegions.single(panel));
    }

    @Override
    public PanelUserRef ensurePanelUser(PanelUserRequest request, String region) {
        PanelClient panel = panel(region);
        return call(() -> {
            Optional<Panel.User> existing = findUser(panel, request);
            if (existing.isPresent()) {
                return toRef(existing.get());
            }
            ActivityAttempt.heartbeat();
            try {
                return toRef(panel.createUser(new Panel.NewUser(request.customerId(), request.email(),
                        request.username(), request.firstName(), request.lastName(), null, null, null)));
            } catch (PanelException.AlreadyExists | PanelException.Validation raced) {
                // Another attempt created it between our lookup and our create (email/username/external_id unique).
                return findUser(panel, request).map(PterodactylActivitiesImpl::toRef).orElseThrow(() -> raced);
            }
        });
    }

    @Override
    public PanelUserRef findPanelUserByExternalId(String customerId, String region) {
        PanelClient panel = panel(region);
        return call(() -> panel.findUserByExternalId(customerId).map(PterodactylActivitiesImpl::toRef).orElse(null));
    }

    @Override
    public List<PanelUserRef> findPanelUsersByEmail(String email, String region) {
        PanelClient panel = panel(region);
        return call(() -> panel.findUsersByEmail(email).stream().map(PterodactylActivitiesImpl::toRef).toList());
    }

    @Override
    public PanelUserRef createPanelUser(PanelUserRequest request, String region) {
        PanelClient panel = panel(region);
        return call(() -> toRef(panel.createUser(new Panel.NewUser(request.customerId(), request.email(),
                request.username(), request.firstName(), request.lastName(), null, null, null))));
    }

    @Override
    public PanelServerRef findServerByExternalId(String externalId, String region) {
        PanelClient panel = panel(region);
        return call(() -> panel.findServerByExternalId(externalId).map(PterodactylActivitiesImpl::toRef).orElse(null));
    }

    @Override
    public EggSpec describeEgg(int nestId, int eggId, String region) {
        PanelClient panel = panel(region);
        return call(() -> {
            Panel.Egg egg = panel.getEgg(nestId, eggId);
            List<EggSpec.EggVariable> variables = egg.variables().stream()
                    .map(v -> new EggSpec.EggVariable(v.envVariable(), v.defaultValue(), v.rules(),
                            Boolean.TRUE.equals(v.userViewable()), Boolean.TRUE.equals(v.userEditable())))
                    .toList();
            return new EggSpec(egg.id(), egg.nest(), egg.name(), egg.dockerImage(), egg.startup(), variables);
        });
    }

    @Override
    public ResolvedEgg resolveEggVariables(int nestId, int eggId, Map<String, String> planEnvironment,
                                           Map<String, String> customerVariables, String region) {
        PanelClient panel = panel(region);
        EggSpec egg = describeEgg(nestId, eggId, region);
        EggVariableResolver.Resolution resolution = EggVariables.resolve(egg, planEnvironment, customerVariables);
        if (!resolution.valid()) {
            throw ApplicationFailure.newNonRetryableFailure(
                    "invalid game settings: " + String.join("; ", resolution.problems()),
                    OrderFailures.EGG_VARIABLES_INVALID, resolution.problems());
        }
        return new ResolvedEgg(egg.dockerImage(), egg.startup(), resolution.environment());
    }

    @Override
    public PanelServerRef createServer(String externalId, ServerSpec spec, String region) {
        PanelClient panel = panel(region);
        return call(() -> {
            try {
                return toRef(panel.createServer(newServer(externalId, spec)));
            } catch (PanelException.Validation refused) {
                throw allocationTaken(refused) ? ApplicationFailure.newBuilder()
                        .setType(PanelFailures.ALLOCATION_TAKEN).setMessage(refused.getMessage())
                        .setDetails(refused.violations()).setCause(refused).build() : refused;
            } catch (PanelException.AlreadyExists repeat) {
                // external_id is the create's idempotency key: a 422-unique means an earlier attempt made it.
                ActivityAttempt.heartbeat();
                return panel.findServerByExternalId(externalId).map(PterodactylActivitiesImpl::toRef)
                        .orElseThrow(() -> ApplicationFailure.newBuilder().setType(PanelFailures.UNAVAILABLE)
                                .setMessage("external_id " + externalId + " is taken but no server has it (yet)")
                                .build());
            }
        });
    }

    @Override
    public PanelServerRef getServer(int panelServerId, String region) {
        PanelClient panel = panel(region);
        return call(() -> toRef(panel.getServer(panelServerId)));
    }

    @Override
    public boolean deleteServer(String externalId, String region) {
        PanelClient panel = panel(region);
        return call(() -> {
            Optional<Panel.Server> server = panel.findServerByExternalId(externalId);
            if (server.isEmpty()) {
                return false;
            }
            int id = server.get().id();
            ActivityAttempt.heartbeat();
            try {
                panel.deleteServer(id);
            } catch (PanelException.NotFound alreadyGone) {
                return true;
            } catch (PanelException.Unavailable daemon) {
                if (!daemon.daemonError() || attempt() < FORCE_DELETE_AFTER_ATTEMPTS) {
                    throw daemon;
                }
                // Wings kept failing: the node is dead, the panel refuses a normal delete, and force removes the
                // record so a dead node cannot keep a terminated server alive forever. Not on the first daemon
                // error: a passing Wings hiccup would leave the server's files behind on a live node.
                ActivityAttempt.heartbeat();
                try {
                    panel.forceDeleteServer(id);
                } catch (PanelException.NotFound alreadyGone) {
                    return true;
                }
            }
            return true;
        });
    }

    @Override
    public void suspendServer(int panelServerId, String region) {
        PanelClient panel = panel(region);
        call(() -> {
            panel.suspendServer(panelServerId);
            return null;
        });
    }

    @Override
    public void unsuspendServer(int panelServerId, String region) {
        PanelClient panel = panel(region);
        call(() -> {
            panel.unsuspendServer(panelServerId);
            return null;
        });
    }

    @Override
    public boolean removeServer(int panelServerId, String region) {
        PanelClient panel = panel(region);
        try {
            panel.deleteServer(panelServerId);
            return true;
        } catch (PanelException.NotFound alreadyGone) {
            return false;
        } catch (PanelException.Unavailable daemon) {
            if (!daemon.daemonError()) {
                throw toFailure(daemon);
            }
            // Whether the node is dead is a question of time, which the workflow measures: say only what we saw.
            throw ApplicationFailure.newBuilder().setType(PanelFailures.NODE_UNREACHABLE)
                    .setMessage("node of panel server " + panelServerId + " unreachable: " + daemon.getMessage())
                    .setCause(daemon).build();
        } catch (PanelException e) {
            throw toFailure(e);
        }
    }

    @Override
    public boolean forceRemoveServer(int panelServerId, String region) {
        PanelClient panel = panel(region);
        try {
            panel.forceDeleteServer(panelServerId);
            return true;
        } catch (PanelException.NotFound alreadyGone) {
            return false;
        } catch (PanelException e) {
            throw toFailure(e);
        }
    }

    @Override
    public ServerBuild getServerBuild(int panelServerId, String region) {
        PanelClient panel = panel(region);
        return call(() -> buildOf(panel.getServer(panelServerId)));
    }

    @Override
    public void updateBuild(int panelServerId, ServerBuild build, String region) {
        PanelClient panel = panel(region);
        call(() -> {
            ServerSpec.Limits l = build.limits();
            ServerSpec.FeatureLimits f = build.featureLimits();
            panel.updateBuild(panelServerId, new Panel.BuildUpdate(build.allocationId(),
                    Panel.Limits.of(l.memory(), l.swap(), l.disk(), l.io(), l.cpu()),
                    new Panel.FeatureLimits(f.databases(), f.allocations(), f.backups()), null, null, null));
            return null;
        });
    }

    @Override
    public ServerStartup getServerStartup(int panelServerId, String region) {
        PanelClient panel = panel(region);
        return call(() -> startupOf(panel.getServer(panelServerId)));
    }

    /**
     * Scripts are not skipped: a later reinstall installs the new egg's game. The panel keeps only the variables the
     * egg defines, so a restored startup may carry the old egg's full environment.
     */
    @Override
    public void updateStartup(int panelServerId, ServerStartup startup, String region) {
        PanelClient panel = panel(region);
        call(() -> {
            panel.updateStartup(panelServerId, new Panel.StartupUpdate(startup.startup(),
                    startup.environment() == null ? Map.of() : startup.environment(), startup.eggId(),
                    startup.dockerImage(), false));
            return null;
        });
    }

    @Override
    public void reinstallServer(int panelServerId, String region) {
        PanelClient panel = panel(region);
        call(() -> {
            panel.reinstallServer(panelServerId);
            return null;
        });
    }

    static ServerBuild buildOf(Panel.Server s) {
        Panel.Limits l = s.limits();
        Panel.FeatureLimits f = s.featureLimits();
        return new ServerBuild(s.allocation(), l == null ? null : new ServerSpec.Limits(orZero(l.memory()),
                orZero(l.swap()), orZero(l.disk()), orZero(l.io()), orZero(l.cpu())),
                f == null ? null : new ServerSpec.FeatureLimits(f.databases(), f.allocations(), f.backups()));
    }

    static ServerStartup startupOf(Panel.Server s) {
        Panel.Container c = s.container();
        Map<String, String> environment = new java.util.LinkedHashMap<>();
        if (c != null && c.environment() != null) {
            c.environment().forEach((name, value) -> environment.put(name, value == null ? null : String.valueOf(value)));
        }
        return new ServerStartup(s.egg(), c == null ? null : c.image(), c == null ? null : c.startupCommand(),
                environment);
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }

    /** The Temporal attempt of the running activity; outside an activity (direct calls in tools) force at once. */
    private static int attempt() {
        try {
            return io.temporal.activity.Activity.getExecutionContext().getInfo().getAttempt();
        } catch (IllegalStateException notInAnActivity) {
            return Integer.MAX_VALUE;
        }
    }

    /** Every rule the panel broke is on {@code allocation.default} or {@code allocation.additional.N}. */
    static boolean allocationTaken(PanelException.Validation refused) {
        return !refused.errors().isEmpty() && refused.errors().stream()
                .allMatch(e -> e.sourceField() != null && e.sourceField().startsWith("allocation."));
    }

    static Panel.NewServer newServer(String externalId, ServerSpec spec) {
        Panel.AllocationPlacement allocation = spec.allocationId() == null ? null
                : new Panel.AllocationPlacement(spec.allocationId(), spec.additionalAllocationIds() == null
                ? List.of() : spec.additionalAllocationIds());
        Panel.DeployPlacement deploy = spec.allocationId() != null ? null
                : new Panel.DeployPlacement(spec.locationIds() == null ? List.of() : spec.locationIds(), false,
                spec.portRanges() == null ? List.of() : spec.portRanges());
        ServerSpec.Limits l = spec.limits();
        ServerSpec.FeatureLimits f = spec.featureLimits();
        return new Panel.NewServer(externalId, spec.name(), spec.description(), spec.panelUserId(), spec.eggId(),
                spec.dockerImage(), spec.startup(), spec.environment() == null ? Map.of() : spec.environment(),
                Panel.Limits.of(l.memory(), l.swap(), l.disk(), l.io(), l.cpu()),
                new Panel.FeatureLimits(f.databases(), f.allocations(), f.backups()), allocation, deploy, null, null,
                null);
    }

    static PanelServerRef toRef(Panel.Server s) {
        return new PanelServerRef(s.id(), s.externalId(), s.uuid(), s.identifier(), s.status(), s.suspended(),
                s.node());
    }

    private static PanelUserRef toRef(Panel.User u) {
        return new PanelUserRef(u.id(), u.externalId(), u.email());
    }

    private static Optional<Panel.User> findUser(PanelClient panel, PanelUserRequest request) {
        Optional<Panel.User> byExternalId = panel.findUserByExternalId(request.customerId());
        if (byExternalId.isPresent()) {
            return byExternalId;
        }
        return panel.findUsersByEmail(request.email()).stream()
                .filter(u -> request.email().equalsIgnoreCase(u.email())).findFirst();
    }

    /**
     * The client of the server's region. One that is not configured (any more) is retryable: an operator can put it
     * back, and no other panel may be asked about a server that lives there.
     */
    private PanelClient panel(String region) {
        try {
            return regions.client(region);
        } catch (PanelRegions.UnknownRegion unknown) {
            throw unknownRegion(unknown);
        }
    }

    static ApplicationFailure unknownRegion(PanelRegions.UnknownRegion unknown) {
        return ApplicationFailure.newBuilder().setType(PanelFailures.UNAVAILABLE)
                .setMessage("panel " + unknown.getMessage()).build();
    }

    private static <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (PanelException e) {
            throw toFailure(e);
        }
    }

    /**
     * The {@link ApplicationFailure} a workflow sees for a panel failure: typed, never marked non-retryable. The
     * flag would override the step's retry options, and the same 403 is final for a checkout but worth hours of
     * retries for an undo ({@link PanelFailures}).
     */
    static ApplicationFailure toFailure(PanelException e) {
        ApplicationFailure.Builder failure = ApplicationFailure.newBuilder().setMessage(e.getMessage())
                .setCause(e);
        if (e instanceof PanelException.Validation v) {
            failure.setType(PanelFailures.VALIDATION).setDetails(v.violations());
        } else if (e instanceof PanelException.AlreadyExists || e instanceof PanelException.Rejected) {
            failure.setType(PanelFailures.VALIDATION)
                    .setDetails(e.errors().stream().map(x -> x.sourceField() + ":" + x.rule()).toList());
        } else if (e instanceof PanelException.NoCapacity) {
            failure.setType(PanelFailures.NO_CAPACITY);
        } else if (e instanceof PanelException.NotFound) {
            failure.setType(PanelFailures.NOT_FOUND);
        } else if (e instanceof PanelException.AccessDenied) {
            failure.setType(PanelFailures.ACCESS_DENIED);
        } else if (e instanceof PanelException.Conflict) {
            failure.setType(PanelFailures.STATE_CONFLICT);
        } else if (e instanceof PanelException.Unavailable u) {
            failure.setType(PanelFailures.UNAVAILABLE);
            u.retryAfter().ifPresent(failure::setNextRetryDelay);
        }
        return failure.build();
    }
}
