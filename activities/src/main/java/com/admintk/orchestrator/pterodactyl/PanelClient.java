package com.admintk.orchestrator.pterodactyl;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

/**
 * Typed access to the panel's application API ({@code /api/application}, admin key) and client API
 * ({@code /api/client}, client key), as described in {@code shared/pterodactyl/API.md}.
 *
 * <p>It never waits for the rate limit. Every request first takes a permit from the global
 * {@link PanelRateLimiter}; an empty bucket, like a 429 from the panel, fails the call at once as
 * {@link PanelException.Unavailable} carrying the time to wait (the bucket's refill time, or {@code Retry-After}),
 * which the activity hands to Temporal as the next-retry delay. Inside an activity every request's timeout is cut to
 * what is left of the attempt (see {@link ActivityAttempt}), so an attempt never outlives its start-to-close timeout
 * and Temporal never runs two attempts of one call at once; outside an activity the configured read timeout holds.
 *
 * <p>Metrics: {@code panel.requests} (timer; tags api, method, endpoint, status) and {@code panel.ratelimit.wait}
 * (timer; tag source = limiter | panel): one entry per call sent away by the rate limit, recording the delay it was
 * told to wait.
 */
public class PanelClient {

    private static final int PER_PAGE = 100;
    /** Below this, a request is not worth sending in the current attempt. */
    private static final Duration MIN_REQUEST_TIME = Duration.ofMillis(500);
    /** Shortest next-retry delay after the bucket refused a call: a retry sooner would only be refused again. */
    private static final Duration MIN_REFUSAL_DELAY = Duration.ofMillis(100);
    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);
    /** Names the Temporal activity attempt behind a request ({@code workflowId activityId attempt}) in panel logs. */
    static final String ACTIVITY_HEADER = "X-AdminTK-Activity";

    private final PanelConfiguration config;
    private final HttpClient http;
    private final PanelRateLimiter limiter;
    private final MeterRegistry metrics;
    private final OpenTelemetry telemetry;
    private final Tracer tracer;

    public PanelClient(PanelConfiguration config, PanelRateLimiter limiter, MeterRegistry metrics) {
        this(config, limiter, metrics, OpenTelemetry.noop());
    }

    public PanelClient(PanelConfiguration config, PanelRateLimiter limiter, MeterRegistry metrics, OpenTelemetry telemetry) {
        this(config, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.connectTimeout()).build(), limiter, metrics, telemetry);
    }

    public PanelClient(PanelConfiguration config, HttpClient http, PanelRateLimiter limiter, MeterRegistry metrics) {
        this(config, http, limiter, metrics, OpenTelemetry.noop());
    }

    public PanelClient(PanelConfiguration config, HttpClient http, PanelRateLimiter limiter, MeterRegistry metrics,
                       OpenTelemetry telemetry) {
        this.config = config;
        this.http = http;
        this.limiter = limiter;
        this.metrics = metrics == null ? new SimpleMeterRegistry() : metrics;
        this.telemetry = telemetry == null ? OpenTelemetry.noop() : telemetry;
        this.tracer = this.telemetry.getTracer("com.admintk.orchestrator.pterodactyl");
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
                ActivityAttempt.heartbeat();
                created = findServerByExternalId(server.externalId());
            } catch (PanelException lookupFailed) {
                if (lookupFailed instanceof PanelException.Unavailable refused && refused.retryAfter().isPresent()) {
                    // Keep the lookup's retry delay (rate limit): the next attempt repeats create and lookup anyway.
                    refused.addSuppressed(lost);
                    throw refused;
                }
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

    /** 204, also when already suspended; fails (502/504) when Wings on the node errors. */
    public void suspendServer(int id) {
        app("POST", "/servers/{id}/suspend", List.of(id), Map.of(), null);
    }

    /** 204, also when not suspended. */
    public void unsuspendServer(int id) {
        app("POST", "/servers/{id}/unsuspend", List.of(id), Map.of(), null);
    }

    /** Fails (502/504) when Wings errors; see {@link #forceDeleteServer}. */
    public void deleteServer(int id) {
        app("DELETE", "/servers/{id}", List.of(id), Map.of(), null);
    }

    /** Deletes the panel's record even when Wings cannot be reached (dead node). */
    public void forceDeleteServer(int id) {
        app("DELETE", "/servers/{id}/force", List.of(id), Map.of(), null);
    }

    /** Every server on the panel (all pages, {@code per_page} 100), for reconciliation. */
    public List<Panel.Server> listServers() {
        return appList("/servers", List.of(), Map.of(), Panel.Server.class);
    }

    /** 204; status becomes {@code installing}. */
    public void reinstallServer(int id) {
        app("POST", "/servers/{id}/reinstall", List.of(id), Map.of(), null);
    }

    /** Limits, feature limits and allocations; answers the updated server. */
    public Panel.Server updateBuild(int id, Panel.BuildUpdate build) {
        return app("PATCH", "/servers/{id}/build", List.of(id), Map.of(), build).item(Panel.Server.class);
    }

    /** Startup command, environment, egg and image; answers the updated server. */
    public Panel.Server updateStartup(int id, Panel.StartupUpdate startup) {
        return app("PATCH", "/servers/{id}/startup", List.of(id), Map.of(), startup).item(Panel.Server.class);
    }

    // ---- nodes ---------------------------------------------------------------------------------------------------

    /**
     * The nodes with room for one more server of {@code memory} and {@code disk} MiB in {@code locations} (all when
     * empty), as the panel's own deploy would choose among them; each with its {@code allocated_resources}.
     */
    public List<Panel.Node> deployableNodes(int memory, int disk, List<Integer> locations) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("memory", memory);
        query.put("disk", disk);
        if (locations != null && !locations.isEmpty()) {
            query.put("location_ids[]", List.copyOf(locations));
        }
        return appList("/nodes/deployable", List.of(), query, Panel.Node.class);
    }

    /** The node's allocations that no server holds ({@code filter[server_id]} with a non-numeric value). */
    public List<Panel.Allocation> unassignedAllocations(int nodeId) {
        return appList("/nodes/{id}/allocations", List.of(nodeId), filters(Map.of("server_id", "none")),
                Panel.Allocation.class);
    }

    // ---- eggs ----------------------------------------------------------------------------------------------------

    /** The egg with its variables (rules, defaults). */
    public Panel.Egg getEgg(int nestId, int eggId) {
        return app("GET", "/nests/{nest}/eggs/{egg}", List.of(nestId, eggId), includes("variables"), null)
                .item(Panel.Egg.class);
    }

    // ---- client API ----------------------------------------------------------------------------------------------

    /** {@code server} is the 8-char identifier or the uuid. */
    public Panel.Resources resources(String server) {
        return client("GET", "/servers/{server}/resources", List.of(server), Map.of(), null)
                .item(Panel.Resources.class);
    }

    /** For {@link WingsSocketClient}: a console token and the socket URL. */
    public Panel.WebsocketCredentials websocketCredentials(String server) {
        return PanelJson.websocket(client("GET", "/servers/{server}/websocket", List.of(server), Map.of(), null)
                .body());
    }

    // ---- live server operations (client API; called from the API process, see app's live package) -----------------

    /** 204. The panel answers 409 while the server is suspended or installing. */
    public void power(String server, Panel.PowerSignal signal) {
        client("POST", "/servers/{server}/power", List.of(server), Map.of(), Map.of("signal", signal.name()));
    }

    /** 204; 502 "Server must be online in order to send commands" when it is not running. */
    public void sendCommand(String server, String command) {
        client("POST", "/servers/{server}/command", List.of(server), Map.of(), Map.of("command", command));
    }

    /** The entries of one directory ({@code /} is the server root); the panel does not paginate it. */
    public List<Panel.FileObject> listFiles(String server, String directory) {
        return PanelJson.page(client("GET", "/servers/{server}/files/list", List.of(server),
                Map.of("directory", directory), null).body(), Panel.FileObject.class).data();
    }

    /** A file's text (the panel serves at most 4 MiB). */
    public String fileContents(String server, String file) {
        return client("GET", "/servers/{server}/files/contents", List.of(server), Map.of("file", file), null).body();
    }

    /** Creates or replaces the file with {@code content}, sent raw as the panel expects. */
    public void writeFile(String server, String file, byte[] content) {
        send(Api.CLIENT, "POST", "/servers/{server}/files/write", List.of(server), Map.of("file", file),
                HttpRequest.BodyPublishers.ofByteArray(content), "text/plain");
    }

    /** Deletes files and directories (recursively), named relative to {@code root}. */
    public void deleteFiles(String server, String root, List<String> files) {
        client("POST", "/servers/{server}/files/delete", List.of(server), Map.of(),
                Map.of("root", root, "files", files));
    }

    /** Renames or moves files, named relative to {@code root}. */
    public void renameFiles(String server, String root, List<Panel.FileRename> files) {
        client("PUT", "/servers/{server}/files/rename", List.of(server), Map.of(),
                Map.of("root", root, "files", files));
    }

    /** A signed Wings URL to upload files to. */
    public String uploadUrl(String server) {
        return client("GET", "/servers/{server}/files/upload", List.of(server), Map.of(), null)
                .item(Panel.SignedUrl.class).url();
    }

    /** A signed Wings URL that downloads {@code file}. */
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
            if (page > 1) {
                ActivityAttempt.heartbeat();
            }
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
        String tagEndpoint = api.prefix + endpoint;
        Duration timeout = requestTimeout(method, tagEndpoint);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(api, endpoint, pathArgs, query))
                .timeout(timeout)
                .header("Authorization", "Bearer " + key)
                .header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body);
        if (body != null) {
            request.header("Content-Type", contentType);
        }
        String activity = ActivityAttempt.describe();
        if (activity != null) {
            request.header(ACTIVITY_HEADER, activity);
        }
        takePermit(method, tagEndpoint);
        // The client span is a child of the activity's span (Temporal's tracing interceptor made it current); the
        // path is the endpoint template, never the URL: a query can carry an email address.
        Span span = tracer.spanBuilder(method + " " + tagEndpoint).setSpanKind(SpanKind.CLIENT)
                .setAttribute("http.request.method", method)
                .setAttribute("url.template", tagEndpoint)
                .setAttribute("server.address", String.valueOf(URI.create(config.url()).getHost()))
                .startSpan();
        try (Scope ignored = span.makeCurrent()) {
            telemetry.getPropagators().getTextMapPropagator().inject(Context.current(), request, HttpRequest.Builder::header);
            HttpRequest built = request.build();
            long started = System.nanoTime();
            HttpResponse<String> response = exchange(built, timeout, api, method, tagEndpoint, started);
            int status = response.statusCode();
            span.setAttribute("http.response.status_code", status);
            record(api, method, tagEndpoint, Integer.toString(status), started);
            if (status >= 200 && status < 300) {
                return new Answer(status, response.body());
            }
            PanelException failure = toException(status, response.body(),
                    response.headers().firstValue("Retry-After").orElse(null));
            if (failure instanceof PanelException.Unavailable throttled
                    && throttled.reason() == PanelException.Unavailable.Reason.RATE_LIMITED) {
                rateLimitWait("panel").record(throttled.retryAfter().orElse(DEFAULT_RETRY_AFTER));
            }
            throw failure;
        } catch (RuntimeException failed) {
            span.setStatus(StatusCode.ERROR, failed.getClass().getSimpleName());
            throw failed;
        } finally {
            span.end();
        }
    }

    /**
     * The configured read timeout, cut to what is left of the current activity attempt. Nothing left: the request is
     * not sent at all (a request that would be cut off mid-way could still take effect on the panel unseen).
     */
    private Duration requestTimeout(String method, String endpoint) {
        Duration timeout = config.readTimeout();
        Optional<Instant> deadline = ActivityAttempt.deadline();
        if (deadline.isEmpty()) {
            return timeout;
        }
        Duration left = Duration.between(Instant.now(), deadline.get());
        if (left.compareTo(MIN_REQUEST_TIME) < 0) {
            throw new PanelException.Unavailable(method + " " + endpoint + " not sent: the activity attempt has "
                    + Math.max(0, left.toMillis()) + " ms left", PanelException.Unavailable.Reason.TIMEOUT, 0,
                    List.of(), null, null);
        }
        return left.compareTo(timeout) < 0 ? left : timeout;
    }

    /**
     * One HTTP exchange bounded by {@code timeout} as a whole: the request timeout alone stops at the response
     * headers, so the body is bounded by waiting on the future and cancelling it.
     */
    private HttpResponse<String> exchange(HttpRequest request, Duration timeout, Api api, String method,
                                          String endpoint, long started) {
        CompletableFuture<HttpResponse<String>> answer = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        try {
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException timedOut) {
            answer.cancel(true);
            return timedOut(api, method, endpoint, started, timeout, timedOut);
        } catch (ExecutionException failed) {
            Throwable cause = failed.getCause() == null ? failed : failed.getCause();
            if (cause instanceof HttpTimeoutException) {
                return timedOut(api, method, endpoint, started, timeout, cause);
            }
            record(api, method, endpoint, "io_error", started);
            throw new PanelException.Unavailable(method + " " + endpoint + " failed: " + cause,
                    PanelException.Unavailable.Reason.CONNECTION, 0, List.of(), null, cause);
        } catch (InterruptedException interrupted) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw new PanelException.Unavailable(method + " " + endpoint + " interrupted",
                    PanelException.Unavailable.Reason.CONNECTION, 0, List.of(), null, interrupted);
        }
    }

    private <T> T timedOut(Api api, String method, String endpoint, long started, Duration timeout, Throwable cause) {
        record(api, method, endpoint, "timeout", started);
        throw new PanelException.Unavailable(method + " " + endpoint + " timed out after " + timeout.toMillis()
                + " ms", PanelException.Unavailable.Reason.TIMEOUT, 0, List.of(), null, cause);
    }

    /** A permit from the global bucket, or a retryable failure saying when the bucket will have one. */
    private void takePermit(String method, String endpoint) {
        PanelRateLimiter.Permit permit;
        try {
            permit = limiter.tryAcquire();
        } catch (RuntimeException limiterDown) {
            // Without the shared bucket we cannot know the fleet's rate: fail the call as retryable rather than
            // risk a 429 storm on the panel.
            throw new PanelException.Unavailable("panel rate limiter unavailable: " + limiterDown,
                    PanelException.Unavailable.Reason.RATE_LIMITED, 0, List.of(), null, limiterDown);
        }
        if (!permit.granted()) {
            Duration retryIn = spread(permit.refillIn());
            rateLimitWait("limiter").record(retryIn);
            throw new PanelException.Unavailable(method + " " + endpoint + " not sent: the global panel rate limit"
                    + " has no permit for " + permit.refillIn().toMillis() + " ms",
                    PanelException.Unavailable.Reason.RATE_LIMITED, 0, List.of(), retryIn, null);
        }
    }

    /**
     * The refill time, at least {@link #MIN_REFUSAL_DELAY}, plus up to as much again at random: the callers the
     * bucket refused together would otherwise all come back together for the one permit that refilled.
     */
    static Duration spread(Duration refillIn) {
        long base = Math.max(refillIn.toMillis(), MIN_REFUSAL_DELAY.toMillis());
        return Duration.ofMillis(base + ThreadLocalRandom.current().nextLong(base + 1));
    }

    private Timer rateLimitWait(String source) {
        return Timer.builder("panel.ratelimit.wait")
                .description("Delay a panel call was told to wait before its next attempt because of the rate limit")
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
