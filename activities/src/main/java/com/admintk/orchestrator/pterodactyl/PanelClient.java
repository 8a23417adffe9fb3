package com.admintk.orchestrator.pterodactyl;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

/**
 * Typed access to the panel's application API ({@code /api/application}, admin key) and client API
 * ({@code /api/client}, client key), as described in {@code shared/pterodactyl/API.md}.
 *
 * <p>Every call takes a permit from the global {@link PanelRateLimiter} first, absorbs a bounded number of 429s by
 * waiting {@code Retry-After}, and fails with a {@link PanelException} subtype otherwise. Metrics:
 * {@code panel.requests} (timer; tags api, method, endpoint, status) and {@code panel.ratelimit.wait} (timer; tag
 * source = limiter | panel).
 */
public class PanelClient {

    private static final int PER_PAGE = 100;
    private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);
    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

    private final PanelConfiguration config;
    private final HttpClient http;
    private final PanelRateLimiter limiter;
    private final MeterRegistry metrics;

    public PanelClient(PanelConfiguration config, PanelRateLimiter limiter, MeterRegistry metrics) {
        this(config, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.connectTimeout()).build(), limiter, metrics);
    }

    public PanelClient(PanelConfiguration config, HttpClient http, PanelRateLimiter limiter, MeterRegistry metrics) {
        this.config = config;
        this.http = http;
        this.limiter = limiter;
        this.metrics = metrics == null ? new SimpleMeterRegistry() : metrics;
    }

    public PanelConfiguration configuration() {
        return config;
    }

    // ---- users ---------------------------------------------------------------------------------------------------

    public Panel.User createUser(Panel.NewUser user) {
        return app("POST", "/users", List.of(), Map.of(), user).item(Panel.User.class);
    }

    public Optional<Panel.User> findUserByExternalId(String externalId) {
        return optional(() -> app("GET", "/users/external/{external_id}", List.of(externalId), Map.of(), null)
                .item(Panel.User.class));
    }

    public List<Panel.User> findUsersByEmail(String email) {
        return appList("/users", List.of(), filters(Map.of("email", email)), Panel.User.class);
    }

    // ---- servers -------------------------------------------------------------------------------------------------

    /**
     * Creates a server. When the answer is lost (timeout, reset, 5xx) the panel may still have created it, so this
     * looks the server up by external_id before giving up: a create that timed out resolves to the one server the
     * panel made. A repeat of a create that did go through fails with {@link PanelException.AlreadyExists}.
     */
    public Panel.Server createServer(Panel.NewServer server) {
        try {
            return app("POST", "/servers", List.of(), Map.of(), server).item(Panel.Server.class);
        } catch (PanelException.Unavailable lost) {
            if (server.externalId() == null || !lost.outcomeUnknown()) {
                throw lost;
            }
            Optional<Panel.Server> created;
            try {
                created = findServerByExternalId(server.externalId());
            } catch (PanelException lookupFailed) {
                lost.addSuppressed(lookupFailed);
                throw lost;
            }
            return created.orElseThrow(() -> lost);
        }
    }

    /** {@code include}: allocations, user, subusers, nest, egg, variables, location, node, databases. */
    public Panel.Server getServer(int id, String... include) {
        return app("GET", "/servers/{id}", List.of(id), includes(include), null).item(Panel.Server.class);
    }

    public Optional<Panel.Server> findServerByExternalId(String externalId) {
        return optional(() -> app("GET", "/servers/external/{external_id}", List.of(externalId), Map.of(), null)
                .item(Panel.Server.class));
    }

    /** All servers matching {@code filters} (keys: external_id, uuid, uuidShort, name, description, image). */
    public List<Panel.Server> listServers(Map<String, String> filters) {
        return appList("/servers", List.of(), filters(filters), Panel.Server.class);
    }

    public void suspendServer(int id) {
        app("POST", "/servers/{id}/suspend", List.of(id), Map.of(), null);
    }

    public void unsuspendServer(int id) {
        app("POST", "/servers/{id}/unsuspend", List.of(id), Map.of(), null);
    }

    public void reinstallServer(int id) {
        app("POST", "/servers/{id}/reinstall", List.of(id), Map.of(), null);
    }

    /** Fails (502/504) when Wings errors; see {@link #forceDeleteServer}. */
    public void deleteServer(int id) {
        app("DELETE", "/servers/{id}", List.of(id), Map.of(), null);
    }

    /** Deletes the panel's record even when Wings cannot be reached (dead node). */
    public void forceDeleteServer(int id) {
        app("DELETE", "/servers/{id}/force", List.of(id), Map.of(), null);
    }

    public Panel.Server updateBuild(int id, Panel.BuildUpdate build) {
        return app("PATCH", "/servers/{id}/build", List.of(id), Map.of(), build).item(Panel.Server.class);
    }

    public Panel.Server updateStartup(int id, Panel.StartupUpdate startup) {
        return app("PATCH", "/servers/{id}/startup", List.of(id), Map.of(), startup).item(Panel.Server.class);
    }

    public Panel.Server updateDetails(int id, Panel.DetailsUpdate details) {
        return app("PATCH", "/servers/{id}/details", List.of(id), Map.of(), details).item(Panel.Server.class);
    }

    // ---- nodes, allocations, locations, eggs ---------------------------------------------------------------------

    public List<Panel.Node> listNodes() {
        return appList("/nodes", List.of(), Map.of(), Panel.Node.class);
    }

    public Panel.Node getNode(int id) {
        return app("GET", "/nodes/{id}", List.of(id), Map.of(), null).item(Panel.Node.class);
    }

    /** Nodes with room for {@code memory} MiB and {@code disk} MiB, optionally in these locations. */
    public List<Panel.Node> deployableNodes(int memory, int disk, List<Integer> locationIds) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("memory", memory);
        query.put("disk", disk);
        if (locationIds != null && !locationIds.isEmpty()) {
            query.put("location_ids[]", locationIds);
        }
        return appList("/nodes/deployable", List.of(), query, Panel.Node.class);
    }

    public List<Panel.Allocation> listAllocations(int nodeId) {
        return appList("/nodes/{id}/allocations", List.of(nodeId), Map.of(), Panel.Allocation.class);
    }

    /** Allocations on the node no server holds (the panel treats a non-numeric server_id filter that way). */
    public List<Panel.Allocation> listUnassignedAllocations(int nodeId) {
        return appList("/nodes/{id}/allocations", List.of(nodeId), filters(Map.of("server_id", "none")),
                Panel.Allocation.class);
    }

    public List<Panel.Location> listLocations() {
        return appList("/locations", List.of(), Map.of(), Panel.Location.class);
    }

    /** The egg with its variables (rules, defaults). */
    public Panel.Egg getEgg(int nestId, int eggId) {
        return app("GET", "/nests/{nest}/eggs/{egg}", List.of(nestId, eggId), includes("variables"), null)
                .item(Panel.Egg.class);
    }

    // ---- client API ----------------------------------------------------------------------------------------------

    /** {@code type}: owner, admin or admin-all (null for the default). */
    public List<Panel.ClientServer> listClientServers(String type, Map<String, String> filters) {
        Map<String, Object> query = new LinkedHashMap<>(filters(filters));
        if (type != null) {
            query.put("type", type);
        }
        return list(Api.CLIENT, "", List.of(), query, Panel.ClientServer.class);
    }

    /** {@code server} is the 8-char identifier or the uuid. */
    public void power(String server, Panel.PowerSignal signal) {
        client("POST", "/servers/{server}/power", List.of(server), Map.of(), Map.of("signal", signal.name()));
    }

    /** 502 (retryable) when the server is offline. */
    public void sendCommand(String server, String command) {
        client("POST", "/servers/{server}/command", List.of(server), Map.of(), Map.of("command", command));
    }

    public Panel.Resources resources(String server) {
        return client("GET", "/servers/{server}/resources", List.of(server), Map.of(), null)
                .item(Panel.Resources.class);
    }

    public Panel.WebsocketCredentials websocketCredentials(String server) {
        return PanelJson.websocket(client("GET", "/servers/{server}/websocket", List.of(server), Map.of(), null)
                .body());
    }

    public List<Panel.FileObject> listFiles(String server, String directory) {
        return PanelJson.page(client("GET", "/servers/{server}/files/list", List.of(server),
                Map.of("directory", directory), null).body(), Panel.FileObject.class).data();
    }

    /** At most 4 MiB of text. */
    public String fileContents(String server, String file) {
        return client("GET", "/servers/{server}/files/contents", List.of(server), Map.of("file", file), null).body();
    }

    public void writeFile(String server, String file, String content) {
        send(Api.CLIENT, "POST", "/servers/{server}/files/write", List.of(server), Map.of("file", file),
                HttpRequest.BodyPublishers.ofString(content), "text/plain");
    }

    public void deleteFiles(String server, String root, List<String> files) {
        client("POST", "/servers/{server}/files/delete", List.of(server), Map.of(),
                Map.of("root", root, "files", files));
    }

    public void renameFiles(String server, String root, List<Panel.Rename> renames) {
        client("PUT", "/servers/{server}/files/rename", List.of(server), Map.of(),
                Map.of("root", root, "files", renames));
    }

    /** A signed Wings URL, valid 15 minutes. */
    public String uploadUrl(String server) {
        return client("GET", "/servers/{server}/files/upload", List.of(server), Map.of(), null)
                .item(Panel.SignedUrl.class).url();
    }

    /** A signed Wings URL, valid 15 minutes. */
    public String downloadUrl(String server, String file) {
        return client("GET", "/servers/{server}/files/download", List.of(server), Map.of("file", file), null)
                .item(Panel.SignedUrl.class).url();
    }

    // ---- error mapping -------------------------------------------------------------------------------------------

    /** The exception an HTTP failure stands for. {@code retryAfter} is the raw header, if any. */
    public static PanelException toException(int status, String body, String retryAfter) {
        List<PanelException.PanelError> errors = PanelJson.errors(body);
        String message = "panel answered " + status
                + (errors.isEmpty() ? "" : ": " + errors.get(0).code() + ": " + errors.get(0).detail());
        Duration delay = parseRetryAfter(retryAfter);
        if (status == 422) {
            boolean taken = errors.stream()
                    .anyMatch(e -> "external_id".equals(e.sourceField()) && "unique".equals(e.rule()));
            return taken ? new PanelException.AlreadyExists(message, errors)
                    : new PanelException.Validation(message, status, errors);
        }
        if (status == 400 && errors.stream().anyMatch(e -> "NoViableNodeException".equals(e.code())
                || "NoViableAllocationException".equals(e.code()))) {
            return new PanelException.NoCapacity(message, errors);
        }
        return switch (status) {
            case 401, 403 -> new PanelException.AccessDenied(message, status, errors);
            case 404 -> new PanelException.NotFound(message, errors);
            case 409 -> new PanelException.Conflict(message, errors);
            case 429 -> new PanelException.Unavailable(message, PanelException.Unavailable.Reason.RATE_LIMITED,
                    status, errors, delay == null ? DEFAULT_RETRY_AFTER : delay, null);
            default -> status >= 500
                    ? new PanelException.Unavailable(message, PanelException.Unavailable.Reason.SERVER_ERROR, status,
                    errors, delay, null)
                    : new PanelException.Rejected(message, status, errors);
        };
    }

    /** Seconds or an HTTP date; null when absent or unreadable. */
    static Duration parseRetryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(ZonedDateTime.now(),
                        ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }

    // ---- plumbing ------------------------------------------------------------------------------------------------

    enum Api {
        APPLICATION("/api/application"), CLIENT("/api/client");

        final String prefix;

        Api(String prefix) {
            this.prefix = prefix;
        }
    }

    /** A successful answer. */
    record Answer(int status, String body) {
        <T> T item(Class<T> type) {
            return PanelJson.item(body, type);
        }
    }

    private Answer app(String method, String endpoint, List<Object> pathArgs, Map<String, ?> query, Object body) {
        return send(Api.APPLICATION, method, endpoint, pathArgs, query, jsonBody(body), "application/json");
    }

    private Answer client(String method, String endpoint, List<Object> pathArgs, Map<String, ?> query, Object body) {
        return send(Api.CLIENT, method, endpoint, pathArgs, query, jsonBody(body), "application/json");
    }

    private <T> List<T> appList(String endpoint, List<Object> pathArgs, Map<String, ?> query, Class<T> type) {
        return list(Api.APPLICATION, endpoint, pathArgs, query, type);
    }

    /** Follows {@code meta.pagination} until the last page. */
    private <T> List<T> list(Api api, String endpoint, List<Object> pathArgs, Map<String, ?> query, Class<T> type) {
        List<T> all = new ArrayList<>();
        for (int page = 1; ; page++) {
            Map<String, Object> paged = new LinkedHashMap<>(query);
            paged.put("per_page", PER_PAGE);
            paged.put("page", page);
            Panel.Page<T> answer = PanelJson.page(
                    send(api, "GET", endpoint, pathArgs, paged, null, null).body(), type);
            all.addAll(answer.data());
            if (!answer.hasNext() || answer.data().isEmpty()) {
                return all;
            }
        }
    }

    private static HttpRequest.BodyPublisher jsonBody(Object body) {
        return body == null ? null : HttpRequest.BodyPublishers.ofString(PanelJson.write(body));
    }

    private Answer send(Api api, String method, String endpoint, List<Object> pathArgs, Map<String, ?> query,
                        HttpRequest.BodyPublisher body, String contentType) {
        String key = api == Api.APPLICATION ? config.applicationKey() : config.clientKey();
        if (key == null || key.isBlank()) {
            throw new IllegalStateException("panel." + (api == Api.APPLICATION ? "application-key" : "client-key")
                    + " is not configured");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(api, endpoint, pathArgs, query))
                .timeout(config.readTimeout())
                .header("Authorization", "Bearer " + key)
                .header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body);
        if (body != null) {
            request.header("Content-Type", contentType);
        }
        HttpRequest built = request.build();
        String tagEndpoint = api.prefix + endpoint;
        for (int rateLimited = 0; ; rateLimited++) {
            awaitPermit();
            long started = System.nanoTime();
            HttpResponse<String> response;
            try {
                response = http.send(built, HttpResponse.BodyHandlers.ofString());
            } catch (HttpTimeoutException timeout) {
                record(api, method, tagEndpoint, "timeout", started);
                throw new PanelException.Unavailable(method + " " + tagEndpoint + " timed out",
                        PanelException.Unavailable.Reason.TIMEOUT, 0, List.of(), null, timeout);
            } catch (IOException io) {
                record(api, method, tagEndpoint, "io_error", started);
                throw new PanelException.Unavailable(method + " " + tagEndpoint + " failed: " + io,
                        PanelException.Unavailable.Reason.CONNECTION, 0, List.of(), null, io);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new PanelException.Unavailable(method + " " + tagEndpoint + " interrupted",
                        PanelException.Unavailable.Reason.CONNECTION, 0, List.of(), null, interrupted);
            }
            int status = response.statusCode();
            record(api, method, tagEndpoint, Integer.toString(status), started);
            if (status >= 200 && status < 300) {
                return new Answer(status, response.body());
            }
            PanelException failure = toException(status, response.body(),
                    response.headers().firstValue("Retry-After").orElse(null));
            if (failure instanceof PanelException.Unavailable throttled
                    && throttled.reason() == PanelException.Unavailable.Reason.RATE_LIMITED
                    && rateLimited < config.maxRateLimitRetries()) {
                Duration wait = throttled.retryAfter().orElse(DEFAULT_RETRY_AFTER);
                sleep(wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait);
                continue;
            }
            throw failure;
        }
    }

    private void awaitPermit() {
        Duration waited;
        try {
            waited = limiter.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PanelException.Unavailable("interrupted waiting for a panel rate-limit permit",
                    PanelException.Unavailable.Reason.RATE_LIMITED, 0, List.of(), null, e);
        } catch (RuntimeException limiterDown) {
            // Without the shared bucket we cannot know the fleet's rate: fail the call as retryable rather than
            // risk a 429 storm on the panel.
            throw new PanelException.Unavailable("panel rate limiter unavailable: " + limiterDown,
                    PanelException.Unavailable.Reason.RATE_LIMITED, 0, List.of(), null, limiterDown);
        }
        rateLimitWait("limiter").record(waited);
    }

    private void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PanelException.Unavailable("interrupted waiting out a 429",
                    PanelException.Unavailable.Reason.RATE_LIMITED, 429, List.of(), wait, e);
        }
        rateLimitWait("panel").record(wait);
    }

    private Timer rateLimitWait(String source) {
        return Timer.builder("panel.ratelimit.wait").description("Time panel calls waited for the rate limit")
                .tag("source", source).register(metrics);
    }

    private void record(Api api, String method, String endpoint, String status, long startedNanos) {
        Timer.builder("panel.requests").description("Pterodactyl panel calls")
                .tag("api", api.name().toLowerCase()).tag("method", method).tag("endpoint", endpoint)
                .tag("status", status)
                .register(metrics).record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    }

    private URI uri(Api api, String endpoint, List<Object> pathArgs, Map<String, ?> query) {
        StringBuilder path = new StringBuilder();
        int arg = 0;
        for (int i = 0; i < endpoint.length(); i++) {
            char c = endpoint.charAt(i);
            if (c == '{') {
                int end = endpoint.indexOf('}', i);
                path.append(encode(String.valueOf(pathArgs.get(arg++))));
                i = end;
            } else {
                path.append(c);
            }
        }
        StringJoiner q = new StringJoiner("&", "?", "").setEmptyValue("");
        query.forEach((name, value) -> {
            if (value instanceof List<?> many) {
                many.forEach(v -> q.add(encode(name) + "=" + encode(String.valueOf(v))));
            } else if (value != null) {
                q.add(encode(name) + "=" + encode(String.valueOf(value)));
            }
        });
        return URI.create(config.url() + api.prefix + path + q);
    }

    private static String encode(String raw) {
        return URLEncoder.encode(raw, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static Map<String, Object> filters(Map<String, String> filters) {
        Map<String, Object> query = new LinkedHashMap<>();
        if (filters != null) {
            filters.forEach((k, v) -> query.put("filter[" + k + "]", v));
        }
        return query;
    }

    private static Map<String, Object> includes(String... include) {
        return include == null || include.length == 0 ? Map.of() : Map.of("include", String.join(",", include));
    }

    private static <T> Optional<T> optional(java.util.function.Supplier<T> call) {
        try {
            return Optional.of(call.get());
        } catch (PanelException.NotFound none) {
            return Optional.empty();
        }
    }

}
