package com.admintk.orchestrator.localstack.panel;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Predicate;

/**
 * The simulated panel's data (users, servers, nodes, allocations, eggs) and the request log. All mutation happens
 * under {@code synchronized (state)}; the public methods return immutable snapshots for tests.
 */
public final class SimState {

    // ---------------------------------------------------------------- public inspection views

    /** One server as tests see it. {@code status} is the panel status (null = installed and fine). */
    public record ServerView(int id, String externalId, String uuid, String identifier, String name, String status,
                             boolean suspended, int node, int user, int egg, int allocation, String powerState) {}

    public record UserView(int id, String externalId, String uuid, String email, String username, boolean rootAdmin) {}

    /**
     * One request to a panel path ({@code /api/...}); status 0 = connection reset / closed without answer. {@code at}
     * is when it arrived, {@code end} when its answer was written (or the connection dropped). {@code query} is the
     * raw query string, {@code body} the request body (at most {@link #MAX_LOGGED_BODY} chars; empty for none),
     * {@code caller} the client's {@code X-AdminTK-Activity} header (which Temporal activity attempt sent it), if any.
     */
    public record RequestRecord(Instant at, Instant end, String method, String path, String query, String body,
                                String caller, int status, String bucket) {
        /** Arrival and answer: two requests overlap when each arrived before the other was answered. */
        public boolean overlaps(RequestRecord other) {
            return at.isBefore(other.end) && other.at.isBefore(end);
        }
    }

    public static final int MAX_LOGGED_BODY = 4096;

    public synchronized List<ServerView> servers() {
        List<ServerView> out = new ArrayList<>();
        for (Server s : servers.values()) out.add(s.view());
        return out;
    }

    public synchronized Optional<ServerView> serverByExternalId(String externalId) {
        return servers.values().stream().filter(s -> externalId.equals(s.externalId)).map(Server::view).findFirst();
    }

    public synchronized Optional<ServerView> server(int id) {
        Server s = servers.get(id);
        return s == null ? Optional.empty() : Optional.of(s.view());
    }

    public synchronized List<UserView> users() {
        List<UserView> out = new ArrayList<>();
        for (User u : users.values()) out.add(new UserView(u.id, u.externalId, u.uuid, u.email, u.username, u.rootAdmin));
        return out;
    }

    /** Every panel request seen (oldest first), including rejected (401/403/429) and fault-injected ones. */
    public List<RequestRecord> requests() {
        return List.copyOf(requestLog);
    }

    public void clearRequests() {
        requestLog.clear();
    }

    /** The largest number of requests matching {@code filter} inside any window of length {@code window}. */
    public int maxRequestsInWindow(Duration window, Predicate<RequestRecord> filter) {
        List<RequestRecord> list = new ArrayList<>();
        for (RequestRecord r : requestLog) if (filter.test(r)) list.add(r);
        list.sort((a, b) -> a.at().compareTo(b.at()));
        int best = 0;
        int lo = 0;
        for (int hi = 0; hi < list.size(); hi++) {
            while (!list.get(lo).at().isAfter(list.get(hi).at().minus(window))) lo++;
            best = Math.max(best, hi - lo + 1);
        }
        return best;
    }

    /** Max requests (all statuses) in any 60 s window. */
    public int maxRequestsPerMinute() {
        return maxRequestsInWindow(Duration.ofSeconds(60), r -> true);
    }

    /** The last console lines of a server (uuid or identifier), oldest first; empty for an unknown server. */
    public synchronized List<String> console(String server) {
        Server s = findServer(server);
        return s == null ? List.of() : List.copyOf(s.console);
    }

    // ---------------------------------------------------------------- internal model

    final Deque<RequestRecord> requestLog = new ConcurrentLinkedDeque<>();

    final Map<Integer, Location> locations = new TreeMap<>();
    final Map<Integer, Node> nodes = new TreeMap<>();
    final Map<Integer, Allocation> allocations = new TreeMap<>();
    final Map<Integer, Nest> nests = new TreeMap<>();
    final Map<Integer, Egg> eggs = new TreeMap<>();
    final Map<Integer, User> users = new TreeMap<>();
    final Map<Integer, Server> servers = new TreeMap<>();
    int nextUserId = 1;
    int nextServerId = 1;

    void log(RequestRecord r) {
        requestLog.add(r);
        while (requestLog.size() > 200_000) requestLog.pollFirst();
    }

    static final class Location {
        int id; String shortCode; String longName; Instant created = Instant.now(); Instant updated = created;
    }

    static final class Node {
        int id; String uuid = UUID.randomUUID().toString(); String name; String description; int locationId; String fqdn;
        boolean isPublic = true; boolean maintenance; int memory; int memoryOverallocate; int disk; int diskOverallocate;
        Instant created = Instant.now(); Instant updated = created;
    }

    static final class Allocation {
        int id; int nodeId; String ip; String alias; int port; String notes; Integer serverId;
    }

    static final class Nest {
        int id; String uuid = UUID.randomUUID().toString(); String author; String name; String description;
        Instant created = Instant.now(); Instant updated = created;
    }

    static final class EggVar {
        int id; int eggId; String name; String description = ""; String env; String defaultValue; boolean userViewable = true;
        boolean userEditable = true; String rules;
    }

    static final class Egg {
        int id; int nestId; String uuid = UUID.randomUUID().toString(); String name; String author; String description;
        String dockerImage; Map<String, String> dockerImages = new LinkedHashMap<>(); String startup;
        List<String> features = new ArrayList<>(); String stopCommand = "stop"; String doneText = "Done";
        List<EggVar> variables = new ArrayList<>(); Instant created = Instant.now(); Instant updated = created;
    }

    static final class User {
        int id; String externalId; String uuid = UUID.randomUUID().toString(); String username; String email;
        String firstName; String lastName; String language = "en"; boolean rootAdmin;
        Instant created = Instant.now(); Instant updated = created;
    }

    static final class FileNode {
        final boolean dir; byte[] content; final Instant created; Instant modified;
        FileNode(boolean dir, byte[] content) { this.dir = dir; this.content = content; this.created = Instant.now(); this.modified = created; }
    }

    static final class Server {
        int id; String externalId; String uuid; String identifier; String name; String description;
        String status; // null, installing, install_failed, reinstall_failed, suspended
        int memory, swap, disk, io, cpu; String threads; boolean oomDisabled;
        Integer databases, allocationsLimit, backups;
        int userId; int nodeId; int allocationId; List<Integer> additional = new ArrayList<>();
        int nestId; int eggId; String startup; String image; Map<String, String> env = new LinkedHashMap<>();
        boolean installedOnce; boolean startOnCompletion; long installGeneration;
        String powerState = "offline"; Instant runningSince; long powerGeneration;
        // usage a test forces (a runaway process): reported as is, in every power state; null: the random figures
        Double forcedCpu; Long forcedMemoryBytes;
        Instant created = Instant.now(); Instant updated = created;
        final Map<String, FileNode> files = new TreeMap<>();
        final Deque<String> console = new ArrayDeque<>();
        final Deque<String> installLog = new ArrayDeque<>();

        boolean suspended() { return "suspended".equals(status); }
        boolean installing() { return "installing".equals(status); }
        boolean installed() { return status == null || "suspended".equals(status) && installedOnce; }

        ServerView view() {
            return new ServerView(id, externalId, uuid, identifier, name, status, suspended(), nodeId, userId, eggId,
                    allocationId, powerState);
        }

        void addConsole(String line) {
            console.addLast(line);
            while (console.size() > 150) console.pollFirst();
        }
    }

    List<Allocation> allocationsOf(Server s) {
        List<Allocation> out = new ArrayList<>();
        Allocation main = allocations.get(s.allocationId);
        if (main != null) out.add(main);
        for (Integer id : s.additional) if (allocations.get(id) != null) out.add(allocations.get(id));
        return out;
    }

    Server findServer(String idOrUuidOrIdentifier) {
        for (Server s : servers.values()) {
            if (s.uuid.equals(idOrUuidOrIdentifier) || s.identifier.equals(idOrUuidOrIdentifier)) return s;
        }
        return null;
    }

    List<Server> serversOnNode(int nodeId) {
        List<Server> out = new ArrayList<>();
        for (Server s : servers.values()) if (s.nodeId == nodeId) out.add(s);
        return Collections.unmodifiableList(out);
    }
}
