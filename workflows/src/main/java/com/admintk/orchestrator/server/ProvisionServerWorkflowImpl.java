package com.admintk.orchestrator.server;

import com.admintk.orchestrator.capacity.CapacityActivities;
import com.admintk.orchestrator.capacity.CapacityReservation;
import com.admintk.orchestrator.common.StepOptions;
import com.admintk.orchestrator.order.OrderFailures;
import com.admintk.orchestrator.pterodactyl.PanelFailures;
import com.admintk.orchestrator.pterodactyl.PanelServerRef;
import com.admintk.orchestrator.pterodactyl.PanelUserRef;
import com.admintk.orchestrator.pterodactyl.PanelUserRequest;
import com.admintk.orchestrator.pterodactyl.PterodactylActivities;
import com.admintk.orchestrator.pterodactyl.ServerSpec;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Functions;
import io.temporal.workflow.Workflow;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.admintk.orchestrator.common.Failures.hasAnyType;
import static com.admintk.orchestrator.common.Failures.hasType;
import static com.admintk.orchestrator.common.Failures.reasonOf;

public class ProvisionServerWorkflowImpl implements ProvisionServerWorkflow {

    private static final Logger log = Workflow.getLogger(ProvisionServerWorkflowImpl.class);

    /**
     * Version 1 creates a server of several ports on its reserved allocations ({@code allocation.additional}, the
     * mapped egg variables set to their ports) and picks free allocations again when the panel says one is taken.
     * Asked only by requests that carry several ports, so runs recorded before it replay as they were.
     */
    static final String MULTI_PORT = "multi-port";
    /**
     * Version 1: a server of one allocation whose reserved allocation the panel refuses as taken is created on a free
     * one picked again, as a server of several ports is ({@link #MULTI_PORT}). Reservations live in Redis: one that
     * Redis lost (a restart) can be handed to a second checkout before the panel's figures show the first server.
     */
    static final String REPICK_TAKEN_ALLOCATION = "repick-taken-allocation";
    /** Creates on freshly picked allocations before the order gives up: the panel refusing again means a race. */
    static final int MAX_ALLOCATION_PICKS = 3;

    private final PterodactylActivities panel =
            Workflow.newActivityStub(PterodactylActivities.class, StepOptions.panelCall());
    private final PterodactylActivities panelCreate =
            Workflow.newActivityStub(PterodactylActivities.class, StepOptions.panelCreate());
    private final PterodactylActivities installProbe =
            Workflow.newActivityStub(PterodactylActivities.class, StepOptions.panelProbe());
    private final PterodactylActivities panelUndo =
            Workflow.newActivityStub(PterodactylActivities.class, StepOptions.panelCompensation());
    /** The undo's deletes: an unreachable node comes back to the workflow at once, which decides by time. */
    private final PterodactylActivities panelRemoval =
            Workflow.newActivityStub(PterodactylActivities.class, StepOptions.panelLifecycleAction());
    private final CapacityActivities capacity =
            Workflow.newActivityStub(CapacityActivities.class, StepOptions.capacityHold());

    /**
     * Version 1: the install watch list (a Redis write on the worker's own connection) is kept by local activities,
     * which save a workflow task each. Runs recorded before it schedule them on the orchestration queue.
     */
    static final String LOCAL_INSTALL_WATCH = "local-install-watch";
    /** Set for the run's version of {@link #LOCAL_INSTALL_WATCH}. */
    private InstallWatchActivities installWatch;

    /** Change id of the install wait woken by {@link #INSTALL_SIGNAL}; the default version only polls. */
    public static final String INSTALL_SIGNAL_CHANGE = "install-signal";

    private ProvisionRequest request;
    /** Set before the create is sent: a create that landed but never answered is still undone. */
    private boolean createSent;
    private PanelServerRef server;
    /** The install watcher lists this server: it is taken off again unless the watcher's signal ended the wait. */
    private boolean watched;
    /** A signal came since the last probe. */
    private boolean installSignalled;
    /** The probe that found the install finished (or failed) followed a signal: the watcher dropped the entry. */
    private boolean seenByEvent;
    /** From version 1 of {@link #PROGRESS_BATCHES}: events are kept here until the next {@link #flush()}. */
    private boolean batched;
    private final List<ProvisionProgress> unsent = new ArrayList<>();

    @Override
    public ProvisionedServer provision(ProvisionRequest request) {
        this.request = request;
        batched = Workflow.getVersion(PROGRESS_BATCHES, Workflow.DEFAULT_VERSION, 1) >= 1;
        installWatch = Workflow.getVersion(LOCAL_INSTALL_WATCH, Workflow.DEFAULT_VERSION, 1) >= 1
                ? Workflow.newLocalActivityStub(InstallWatchActivities.class,
                        StepOptions.local(StepOptions.installWatch()))
                : Workflow.newActivityStub(InstallWatchActivities.class, StepOptions.installWatch());
        try {
            PanelUserRef user = ensurePanelUser();
            createServer(user);
            awaitInstalled();
            endInstallWatch(true);
            return new ProvisionedServer(user, server, batched ? takeUnsent() : null);
        } catch (TemporalFailure failure) {
            endInstallWatch(false);
            if (createSent) {
                // Detached: a cancelled order must still lose the server it will not pay for.
                Workflow.newDetachedCancellationScope(() -> {
                    report(STEP_CREATE_SERVER, ProvisionProgress.Kind.UNDOING, 0, reasonOf(failure));
                    // The order is undoing from now on, however long the delete takes.
                    flush();
                    undoCreate();
                }).run();
            }
            flush();
            throw failure;
        }
    }

    /** One panel call per activity, so a shared rate limit never makes one attempt lose the permits of another. */
    private PanelUserRef ensurePanelUser() {
        return step(STEP_ENSURE_PANEL_USER, () -> {
            PanelUserRef existing = findPanelUser();
            if (existing != null) {
                return existing;
            }
            try {
                return panel.createPanelUser(request.panelUser(), request.region());
            } catch (ActivityFailure refused) {
                if (!hasType(refused, PanelFailures.VALIDATION)) {
                    throw refused;
                }
                // Email, username or external_id taken: another order of this customer made the user between our
                // lookup and our create. A refusal with nobody to find is a real one.
                PanelUserRef raced = findPanelUser();
                if (raced == null) {
                    throw refused;
                }
                return raced;
            }
        });
    }

    /**
     * By external_id, then by email: a customer who already had a panel account keeps it rather than getting a
     * second one that the panel would refuse anyway (emails are unique there).
     */
    private PanelUserRef findPanelUser() {
        PanelUserRequest wanted = request.panelUser();
        PanelUserRef byCustomer = panel.findPanelUserByExternalId(wanted.customerId(), request.region());
        if (byCustomer != null) {
            return byCustomer;
        }
        // The panel's email filter is a loose match: only the same address counts.
        for (PanelUserRef candidate : panel.findPanelUsersByEmail(wanted.email(), request.region())) {
            if (candidate.email() != null && candidate.email().equalsIgnoreCase(wanted.email())) {
                return candidate;
            }
        }
        return null;
    }

    private void createServer(PanelUserRef user) {
        step(STEP_CREATE_SERVER, () -> {
            createSent = true;
            ServerSpec spec = request.spec().withPanelUser(user.id());
            if (request.severalPorts() && Workflow.getVersion(MULTI_PORT, Workflow.DEFAULT_VERSION, 1) >= 1) {
                server = createOnFreeAllocations(spec);
            } else if (!request.severalPorts() && request.onReservedAllocations()
                    && Workflow.getVersion(REPICK_TAKEN_ALLOCATION, Workflow.DEFAULT_VERSION, 1) >= 1) {
                server = createOnFreeAllocations(spec);
            } else {
                server = panelCreate.createServer(request.externalId(), spec, request.region());
            }
            return server;
        });
    }

    /**
     * The reservation keeps other checkouts off these allocations, but not an operator or another tool: when the
     * panel says one is taken, free ones on the same node are picked again (one panel read) and the create repeated.
     * The create is idempotent by external_id, and a refused create made nothing, so repeating it is safe.
     */
    private PanelServerRef createOnFreeAllocations(ServerSpec spec) {
        CapacityReservation placed = request.reservation();
        for (int pick = 1; ; pick++) {
            try {
                Map<String, String> environment = request.ports() == null ? spec.environment()
                        : request.ports().fill(spec.environment(), placed.ports());
                return panelCreate.createServer(request.externalId(), spec.withAllocations(placed.allocationId(),
                        placed.additional(), environment), request.region());
            } catch (ActivityFailure refused) {
                if (!hasType(refused, PanelFailures.ALLOCATION_TAKEN) || pick >= MAX_ALLOCATION_PICKS) {
                    throw refused;
                }
                log.warn("order {}: the panel refused allocations {} + {}: picking free ones again",
                        request.orderId(), placed.allocationId(), placed.additional());
                placed = capacity.repickAllocations(placed, request.demand());
            }
        }
    }

    @Override
    public void installFinished() {
        installSignalled = true;
    }

    /**
     * Polls with a growing interval (capped) until installed, install_failed, or the deadline. From version 1 of
     * {@link #INSTALL_SIGNAL_CHANGE} each wait also ends at the install watcher's signal; the probe that follows
     * decides as a poll would.
     */
    private void awaitInstalled() {
        step(STEP_AWAIT_INSTALLED, () -> {
            boolean signalled = Workflow.getVersion(INSTALL_SIGNAL_CHANGE, Workflow.DEFAULT_VERSION, 1) == 1;
            if (signalled) {
                watchInstall();
            }
            long deadline = Workflow.currentTimeMillis() + request.installDeadlineSeconds() * 1000;
            long interval = request.installPollInitialSeconds() * 1000;
            int polls = 0;
            while (true) {
                long remaining = deadline - Workflow.currentTimeMillis();
                if (remaining <= 0) {
                    throw ApplicationFailure.newNonRetryableFailure("the server did not finish installing within "
                            + request.installDeadlineSeconds() + "s", OrderFailures.INSTALL_DEADLINE);
                }
                Duration wait = Duration.ofMillis(Math.min(interval, remaining));
                flush();
                boolean woken = false;
                if (signalled) {
                    woken = Workflow.await(wait, () -> installSignalled);
                    installSignalled = false;
                } else {
                    Workflow.sleep(wait);
                }
                polls++;
                try {
                    server = installProbe.getServer(server.id(), request.region());
                    report(STEP_AWAIT_INSTALLED, ProvisionProgress.Kind.ATTEMPTS, polls, null);
                } catch (ActivityFailure probeFailed) {
                    if (hasAnyType(probeFailed, PanelFailures.FINAL_FOR_FORWARD_STEPS)
                            || CancellationScope.current().isCancelRequested()) {
                        throw probeFailed;
                    }
                    // A slow or flaky panel is not a failed install: keep polling until the deadline.
                    report(STEP_AWAIT_INSTALLED, ProvisionProgress.Kind.ATTEMPTS, polls, reasonOf(probeFailed));
                    continue;
                }
                if (server.installFailed()) {
                    seenByEvent = woken;
                    throw ApplicationFailure.newNonRetryableFailure(
                            "the server's installation failed (" + server.status() + ")", OrderFailures.INSTALL_FAILED);
                }
                if (server.installed()) {
                    seenByEvent = woken;
                    return server;
                }
                // A signal the panel does not confirm yet (Wings ahead of the panel's record): the polling goes on.
                interval = Math.min(interval * 2, request.installPollMaxSeconds() * 1000);
            }
        });
    }

    /** Lists the server for the install watcher; without it the wait is only polls, as before. */
    private void watchInstall() {
        try {
            watched = installWatch.watchInstall(server.id(), server.uuid(), Workflow.getInfo().getWorkflowId(),
                    request.region());
        } catch (ActivityFailure unavailable) {
            if (CancellationScope.current().isCancelRequested()) {
                throw unavailable;
            }
            log.warn("order {}: install of panel server {} not watched, polling only: {}", request.orderId(),
                    server.id(), reasonOf(unavailable));
        }
    }

    /**
     * Takes the server off the watch list unless the watcher's signal ended the wait (the watcher dropped it then).
     * Detached: a cancelled provisioning must not leave the entry behind. A failure leaves it to expire.
     */
    private void endInstallWatch(boolean installed) {
        if (!watched || seenByEvent) {
            return;
        }
        watched = false;
        Workflow.newDetachedCancellationScope(() -> {
            try {
                installWatch.unwatchInstall(server.id(), installed, request.region());
            } catch (ActivityFailure unavailable) {
                log.warn("order {}: install watch of panel server {} left to expire: {}", request.orderId(),
                        server.id(), reasonOf(unavailable));
            }
        }).run();
    }

    /**
     * The undo of the create. A create whose answer was lost may still have made the server, so it is looked up by
     * external_id; none means there is nothing to undo. The server is then removed by the same time-based rule as a
     * termination: force-deleted only once its node has been unreachable for the order's policy time. One that keeps
     * being refused for the whole compensation window is reported, and the operators are alerted by the order.
     */
    private void undoCreate() {
        try {
            PanelServerRef made = server != null ? server : panelUndo.findServerByExternalId(request.externalId(),
                    request.region());
            if (made == null) {
                return;
            }
            ServerTermination removed = PanelServerRemoval.remove(panelRemoval, made.id(), request.region(),
                    request.forceDeleteAfterSeconds(), request.nodeRecheckSeconds(), "order " + request.orderId());
            if (removed.deletedOnPanel() || server != null) {
                report(STEP_CREATE_SERVER, ProvisionProgress.Kind.COMPENSATED, 0, null);
            }
        } catch (ActivityFailure gaveUp) {
            log.error("order {}: panel server {} could not be deleted: {}", request.orderId(), request.externalId(),
                    reasonOf(gaveUp));
            report(STEP_CREATE_SERVER, ProvisionProgress.Kind.UNDO_GAVE_UP, 0, reasonOf(gaveUp));
        }
    }

    private <T> T step(String name, Functions.Func<T> body) {
        if (!batched || !STEP_ENSURE_PANEL_USER.equals(name)) {
            report(name, ProvisionProgress.Kind.STARTED, 0, null);
        }
        flush();
        try {
            T result = body.apply();
            report(name, ProvisionProgress.Kind.DONE, 0, null);
            return result;
        } catch (RuntimeException e) {
            report(name, ProvisionProgress.Kind.FAILED, 0, reasonOf(e));
            throw e;
        }
    }

    /**
     * Progress is informational: it is sent even from a cancelled scope, and a listener that is gone does not fail
     * the provisioning. Sent and awaited in order (one by one before {@link #PROGRESS_BATCHES}, then batch by batch),
     * so the listener sees the events in order and before the child's own result.
     */
    private void report(String step, ProvisionProgress.Kind kind, int attempts, String error) {
        ProvisionProgress event = new ProvisionProgress(step, kind, Workflow.currentTimeMillis(), attempts, error);
        if (batched) {
            unsent.add(event);
            return;
        }
        signalListener(PROGRESS_SIGNAL, event, step + " " + kind);
    }

    /** Sends the events kept since the last batch, if any. */
    private void flush() {
        if (batched && !unsent.isEmpty()) {
            List<ProvisionProgress> events = takeUnsent();
            signalListener(PROGRESS_BATCH_SIGNAL, new ProvisionProgressBatch(events), events.size() + " events");
        }
    }

    private List<ProvisionProgress> takeUnsent() {
        List<ProvisionProgress> events = List.copyOf(unsent);
        unsent.clear();
        return events;
    }

    private void signalListener(String signal, Object payload, String what) {
        String listener = request.progressWorkflowId();
        if (listener == null || listener.isBlank()) {
            return;
        }
        Workflow.newDetachedCancellationScope(() -> {
            try {
                Workflow.newUntypedExternalWorkflowStub(listener).signal(signal, payload);
            } catch (RuntimeException undelivered) {
                log.warn("order {}: progress ({}) not delivered: {}", request.orderId(), what, reasonOf(undelivered));
            }
        }).run();
    }
}
