package com.admintk.orchestrator.capacity;

import com.admintk.orchestrator.pterodactyl.Panel;
import com.admintk.orchestrator.pterodactyl.PanelClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Room on the panel's nodes for one more server of a plan, and reservations of it, so that concurrent checkouts
 * never sell more servers than the nodes hold.
 *
 * <p>The panel is asked (and its answer cached for {@link CapacitySettings#cacheTtl()}, shared by concurrent
 * callers) for the free allocations of the plan's nodes, then {@code /nodes/deployable} for the plan's memory, disk
 * and locations: nodes it leaves out have no room, and the ones it lists carry their allocated memory and disk. The
 * order matters: read after the allocations, a server created in between is counted twice (by the panel and by its
 * reservation), never missed. Room left on a node = what the panel says is free minus the live reservations whose
 * allocation the panel still shows free (see {@link CapacityReservations}).
 *
 * <p>One per region ({@link RegionalCapacity}): each reads its own panel and keeps its reservations apart.
 *
 * <p>Metrics: {@code capacity_free_servers{region,plan,node}} (servers of the plan that still fit, as last computed),
 * {@code capacity_reservations_held{region}} (live reservations in Redis).
 */
public class Capacity {

    private static final Logger LOG = LoggerFactory.getLogger(Capacity.class);
    /** Memory or disk the panel does not limit (overallocate -1). */
    private static final long UNLIMITED = Long.MAX_VALUE / 4;

    /**
     * One node as one reading of the panel saw it. The free allocations and the candidates are also kept as the
     * comma-separated lists the reservation script takes, made once per reading rather than once per checkout.
     */
    record NodeRoom(int nodeId, String name, int locationId, long memoryFree, long diskFree, Set<Integer> free,
                    List<Panel.Allocation> candidates, String freeCsv, String candidateCsv) {

        NodeRoom(int nodeId, String name, int locationId, long memoryFree, long diskFree, Set<Integer> free,
                 List<Panel.Allocation> candidates) {
            this(nodeId, name, locationId, memoryFree, diskFree, free, candidates, CapacityReservations.csv(free),
                    CapacityReservations.csv(candidates.stream().map(Panel.Allocation::id).toList()));
        }
    }

    /**
     * One reading of the panel, and the nodes that have refused a reservation since it was made: they are tried
     * last (never skipped) until the next reading, so that once a node is full a burst of checkouts does not pay
     * for a refused reservation on it each.
     */
    private record Reading(long readAtNanos, java.time.Instant readAt, List<NodeRoom> nodes, Set<Integer> refused) {

        Reading(long readAtNanos, java.time.Instant readAt, List<NodeRoom> nodes) {
            this(readAtNanos, readAt, nodes, ConcurrentHashMap.newKeySet());
        }

        /** Most memory free first, the nodes that refused since this reading last. */
        List<NodeRoom> inTurn() {
            List<NodeRoom> ordered = new ArrayList<>(nodes);
            ordered.sort(Comparator.comparing((NodeRoom node) -> refused.contains(node.nodeId()))
                    .thenComparing(Comparator.comparingLong(NodeRoom::memoryFree).reversed())
                    .thenComparingInt(NodeRoom::nodeId));
            return ordered;
        }
    }

    /** Servers of a plan that still fit, per location, and in all. */
    public record Availability(String planId, long servers, Map<Integer, Long> byLocation, java.time.Instant readAt) {
    }

    private final String region;
    private final PanelClient panel;
    private final CapacitySettings settings;
    private final CapacityReservations reservations;
    private final MeterRegistry metrics;
    private final Map<CapacityDemand, Reading> readings = new ConcurrentHashMap<>();
    private final Map<CapacityDemand, ReentrantLock> readingLocks = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> freeServers = new ConcurrentHashMap<>();
    private final Set<CapacityDemand> refreshing = ConcurrentHashMap.newKeySet();
    private final ExecutorService refresher;

    public Capacity(String region, PanelClient panel, StatefulRedisConnection<String, String> redis,
                    CapacitySettings settings, MeterRegistry metrics) {
        this.region = region;
        this.panel = panel;
        this.settings = settings;
        this.metrics = metrics;
        this.reservations = new CapacityReservations(redis, "admintk:capacity:" + panelKey(panel) + ":");
        // One thread, started when a reading is first renewed in the background and ended after a minute idle.
        ThreadPoolExecutor refresher = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(),
                task -> {
                    Thread thread = new Thread(task, "capacity-refresh-" + region);
                    thread.setDaemon(true);
                    return thread;
                });
        refresher.allowCoreThreadTimeOut(true);
        this.refresher = refresher;
        Gauge.builder("capacity.reservations.held", this, Capacity::liveReservationsOrNaN)
                .description("Capacity reservations held by checkouts whose server is not on the panel yet")
                .tag("region", region).register(metrics);
    }

    /**
     * Takes room for one server of the plan on the node with the most memory left (a node that refused one since
     * the last reading is tried last): memory, disk and as many free allocations in its port range as the plan's
     * servers take. Empty when no node has it (sold out). Idempotent per
     * {@code reservationId}.
     */
    public Optional<CapacityReservation> reserve(String reservationId, CapacityDemand demand) {
        Reading reading = reading(demand);
        for (NodeRoom node : reading.inTurn()) {
            if (node.candidates().size() < demand.allocationCount()) {
                continue;
            }
            List<Integer> allocations = reservations.reserve(node.nodeId(), reservationId, node.memoryFree(),
                    node.diskFree(), demand.memory(), demand.disk(), settings.reservationTtl(), node.freeCsv(),
                    node.candidateCsv(), demand.allocationCount());
            if (!allocations.isEmpty()) {
                return Optional.of(reservation(reservationId, node.nodeId(), allocations, node.candidates()));
            }
            reading.refused().add(node.nodeId());
        }
        return Optional.empty();
    }

    /**
     * Extends a reservation; one that lapsed is taken again if the plan still fits (perhaps elsewhere). Empty: sold
     * out meanwhile. A placeholder (an order that reached its saga without a reservation) is taken here.
     */
    public Optional<CapacityReservation> hold(CapacityReservation reservation, CapacityDemand demand) {
        if (!reservation.placed()) {
            return reserve(reservation.reservationId(), demand);
        }
        if (reservations.hold(reservation.nodeId(), reservation.reservationId(), settings.reservationTtl()) >= 0) {
            return Optional.of(reservation);
        }
        LOG.warn("Reservation {} lapsed (its saga was away longer than {}): taking room again",
                reservation.reservationId(), settings.reservationTtl());
        return reserve(reservation.reservationId(), demand);
    }

    /**
     * Moves the reservation onto allocations of its node that the panel shows free right now (one fresh read of the
     * node, never the cache) and no other reservation holds: the panel refused one of its allocations, taken outside
     * the orchestrator. A reservation that lapsed is taken again as {@link #hold} does. Empty: too few are left.
     */
    public Optional<CapacityReservation> repick(CapacityReservation reservation, CapacityDemand demand) {
        List<Panel.Allocation> unassigned = panel.unassignedAllocations(reservation.nodeId());
        // What every checkout reads is stale too: the next one reads the panel again.
        readings.remove(demand);
        Set<Integer> free = Set.copyOf(unassigned.stream().map(Panel.Allocation::id).toList());
        List<Panel.Allocation> candidates = unassigned.stream()
                .filter(a -> PortRanges.contains(demand.portRanges(), a.port()))
                .sorted(Comparator.comparingInt(Panel.Allocation::port)).toList();
        List<Integer> allocations = reservations.repick(reservation.nodeId(), reservation.reservationId(), free,
                candidates.stream().map(Panel.Allocation::id).toList(), demand.allocationCount(),
                settings.reservationTtl());
        if (!allocations.isEmpty()) {
            return Optional.of(reservation(reservation.reservationId(), reservation.nodeId(), allocations, candidates));
        }
        if (reservations.hold(reservation.nodeId(), reservation.reservationId(), settings.reservationTtl()) >= 0) {
            return Optional.empty();
        }
        LOG.warn("Reservation {} lapsed before its allocations were picked again: taking room again",
                reservation.reservationId());
        return reserve(reservation.reservationId(), demand);
    }

    private CapacityReservation reservation(String reservationId, int nodeId, List<Integer> allocations,
                                            List<Panel.Allocation> known) {
        List<Integer> additional = allocations.subList(1, allocations.size());
        return new CapacityReservation(reservationId, nodeId, allocations.get(0), port(known, allocations.get(0)),
                List.copyOf(additional), additional.stream().map(id -> port(known, id)).toList(), region);
    }

    /** The allocation's port as the reading listed it (0 when it did not), without a map of every allocation. */
    private static int port(List<Panel.Allocation> known, int allocationId) {
        for (Panel.Allocation allocation : known) {
            if (allocation.id() == allocationId) {
                return allocation.port();
            }
        }
        return 0;
    }

    /**
     * Room again for a checkout whose server the panel refused for want of room (after it waited for capacity): the
     * cached figures showed room that was not there, so the panel is read afresh. Any room still held under the id
     * is given back first. Empty: still sold out.
     */
    public Optional<CapacityReservation> retake(CapacityReservation released, CapacityDemand demand) {
        reservations.release(released.nodeId(), released.reservationId(), java.time.Duration.ZERO);
        readings.remove(demand);
        return reserve(released.reservationId(), demand);
    }

    /** {@code serverPlaced}: the server stands on the reserved allocation; keep counting until the cache shows it. */
    public void release(String reservationId, int nodeId, boolean serverPlaced) {
        reservations.release(nodeId, reservationId,
                serverPlaced ? settings.effectiveLinger() : java.time.Duration.ZERO);
    }

    /** How many more servers of the plan fit, per location (from the cached reading plus live reservations). */
    public Availability availability(CapacityDemand demand) {
        Map<Integer, Long> byLocation = new LinkedHashMap<>();
        for (Integer location : demand.locationIds()) {
            byLocation.put(location, 0L);
        }
        long total = 0;
        Reading reading = reading(demand);
        for (NodeRoom node : reading.nodes()) {
            CapacityReservations.Held held = reservations.held(node.nodeId(), node.free());
            long byMemory = fits(node.memoryFree() - held.memory(), demand.memory());
            long byDisk = fits(node.diskFree() - held.disk(), demand.disk());
            long byPorts = node.candidates().stream().filter(a -> !held.allocations().contains(a.id())).count()
                    / demand.allocationCount();
            long servers = Math.max(0, Math.min(byPorts, Math.min(byMemory, byDisk)));
            gauge(demand.planId(), node.name()).set(servers);
            byLocation.merge(node.locationId(), servers, Long::sum);
            total += servers;
        }
        return new Availability(demand.planId(), total, byLocation, reading.readAt());
    }

    public String region() {
        return region;
    }

    /** Live reservations across the panel's nodes. */
    public long reservationsHeld() {
        return reservations.live();
    }

    private static long fits(long room, int each) {
        return each <= 0 ? UNLIMITED : Math.max(0, room / each);
    }

    private double liveReservationsOrNaN() {
        try {
            return reservationsHeld();
        } catch (RuntimeException redisDown) {
            return Double.NaN;
        }
    }

    private AtomicLong gauge(String planId, String node) {
        return freeServers.computeIfAbsent(planId + "\n" + node, key -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("capacity.free.servers", value, AtomicLong::get)
                    .description("Servers of the plan that still fit on the node (panel room minus reservations)")
                    .tag("region", region).tag("plan", planId).tag("node", node).register(metrics);
            return value;
        });
    }

    /**
     * The cached reading for the demand, or a fresh one. A reading younger than the cache TTL is used as it is. One
     * between one and two TTLs old is still used, and the panel is read again in the background (one read at a
     * time), so under steady checkouts no checkout waits for a panel round and the panel is read at most once per
     * TTL. Older or none: the caller reads the panel itself (one caller at a time; the others wait for its figures).
     * Released reservations keep counting for two TTLs and more ({@link CapacitySettings#effectiveLinger()}), as
     * long as the oldest figures in use.
     */
    private Reading reading(CapacityDemand demand) {
        Reading cached = readings.get(demand);
        if (fresh(cached, 1)) {
            return cached;
        }
        if (fresh(cached, 2)) {
            refreshInBackground(demand);
            return cached;
        }
        ReentrantLock lock = readingLocks.computeIfAbsent(demand, d -> new ReentrantLock());
        lock.lock();
        try {
            cached = readings.get(demand);
            if (fresh(cached, 1)) {
                return cached;
            }
            Reading read = read(demand, false);
            readings.put(demand, read);
            return read;
        } finally {
            lock.unlock();
        }
    }

    private boolean fresh(Reading reading, int ttls) {
        return reading != null
                && System.nanoTime() - reading.readAtNanos() < settings.cacheTtl().toNanos() * ttls;
    }

    /**
     * Reads the panel again on the refresher thread, unless a read is under way. A failed read is left to the next
     * caller.
     */
    private void refreshInBackground(CapacityDemand demand) {
        if (!refreshing.add(demand)) {
            return;
        }
        // The queue is unbounded and the executor never shut down: nothing is rejected.
        refresher.execute(() -> {
            ReentrantLock lock = readingLocks.computeIfAbsent(demand, d -> new ReentrantLock());
            try {
                if (lock.tryLock()) {
                    try {
                        if (!fresh(readings.get(demand), 1)) {
                            readings.put(demand, read(demand, true));
                        }
                    } finally {
                        lock.unlock();
                    }
                }
            } catch (RuntimeException e) {
                LOG.debug("Reading the panel's capacity in the background failed; the next checkout reads it", e);
            } finally {
                refreshing.remove(demand);
            }
        });
    }

    /**
     * One round of panel calls. Timed as {@code capacity.panel.reading}, tagged {@code background} true (the refresher
     * thread: no checkout waits for it) or false (a checkout, and any other arriving meanwhile, waits for it).
     */
    private Reading read(CapacityDemand demand, boolean background) {
        long started = System.nanoTime();
        try {
            return read(demand, started);
        } finally {
            Timer.builder("capacity.panel.reading")
                    .description("Reading the panel's node figures and free allocations for capacity reservations")
                    .tag("region", region).tag("background", Boolean.toString(background)).register(metrics)
                    .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    private Reading read(CapacityDemand demand, long started) {
        java.time.Instant startedAt = java.time.Instant.now();
        // Every node of the plan's locations (memory and disk 0 fit any node that is not over its limits).
        List<Panel.Node> nodes = panel.deployableNodes(0, 0, demand.locationIds());
        Map<Integer, List<Panel.Allocation>> free = new LinkedHashMap<>();
        for (Panel.Node node : nodes) {
            free.put(node.id(), panel.unassignedAllocations(node.id()));
        }
        List<NodeRoom> rooms = new ArrayList<>();
        Map<Integer, Panel.Node> full = new LinkedHashMap<>();
        nodes.forEach(node -> full.put(node.id(), node));
        for (Panel.Node node : panel.deployableNodes(demand.memory(), demand.disk(), demand.locationIds())) {
            List<Panel.Allocation> unassigned = free.get(node.id());
            if (unassigned == null) {
                continue;
            }
            full.remove(node.id());
            Set<Integer> freeIds = Set.copyOf(unassigned.stream().map(Panel.Allocation::id).toList());
            List<Panel.Allocation> candidates = unassigned.stream()
                    .filter(a -> PortRanges.contains(demand.portRanges(), a.port()))
                    .sorted(Comparator.comparingInt(Panel.Allocation::port)).toList();
            long memoryUsed = node.allocatedResources() == null ? 0 : node.allocatedResources().memory();
            long diskUsed = node.allocatedResources() == null ? 0 : node.allocatedResources().disk();
            rooms.add(new NodeRoom(node.id(), node.name(), node.locationId(),
                    room(node.memory(), node.memoryOverallocate(), memoryUsed),
                    room(node.disk(), node.diskOverallocate(), diskUsed), freeIds, candidates));
        }
        // Left out by the panel: no room for one more of this plan (shown as 0, never reserved on).
        full.values().forEach(node -> rooms.add(new NodeRoom(node.id(), node.name(), node.locationId(), 0, 0,
                Set.of(), List.of())));
        return new Reading(started, startedAt, List.copyOf(rooms));
    }

    /** The panel's own rule: a negative overallocate percentage switches the check off. */
    private static long room(long size, int overallocatePercent, long used) {
        if (overallocatePercent < 0) {
            return UNLIMITED;
        }
        return size * (100 + overallocatePercent) / 100 - used;
    }

    /** Reservations are per panel: two panels' node 1 are different nodes. */
    private static String panelKey(PanelClient panel) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(panel.configuration().url().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
