package com.admintk.orchestrator.localstack.panel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** HTTP side of the simulator: routing, auth, rate limit, faults, request log. */
final class PanelHttp extends Handler.Abstract {

    /** Per-request context handed to routes. */
    static final class Ctx {
        final Request request;
        final String method;
        final String path;
        final Map<String, String> params = new HashMap<>();
        final Fields query;
        SimState.User user;
        private String body;
        private byte[] rawBody;

        Ctx(Request request, String method, String path) {
            this.request = request;
            this.method = method;
            this.path = path;
            this.query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        }

        byte[] raw() {
            if (rawBody == null) {
                try {
                    ByteBuffer buf = Content.Source.asByteBuffer(request);
                    rawBody = new byte[buf.remaining()];
                    buf.get(rawBody);
                } catch (IOException e) {
                    throw PanelException.badRequest("could not read the request body");
                }
            }
            return rawBody;
        }

        String body() {
            if (body == null) body = new String(raw(), StandardCharsets.UTF_8);
            return body;
        }

        /** Read at arrival, so the request log has it whichever way the request ends (429, fault, reset). */
        String loggedBody;

        void logBody() {
            try {
                String b = body();
                loggedBody = b.length() > SimState.MAX_LOGGED_BODY ? b.substring(0, SimState.MAX_LOGGED_BODY) : b;
            } catch (PanelException unreadable) {
                loggedBody = "";
            }
        }

        JsonNode json() {
            return Json.parse(body());
        }

        String q(String name) {
            Fields.Field f = query.get(name);
            return f == null ? null : f.getValue();
        }

        List<String> qs(String name) {
            Fields.Field f = query.get(name);
            return f == null ? List.of() : f.getValues();
        }

        String p(String name) {
            return params.get(name);
        }

        int pInt(String name) {
            try {
                return Integer.parseInt(params.get(name));
            } catch (NumberFormatException e) {
                throw PanelException.notFound();
            }
        }
    }

    interface Route {
        Reply handle(Ctx ctx) throws Exception;
    }

    private record RouteDef(String method, Pattern pattern, List<String> names, Route route) {}

    private static final Pattern PARAM = Pattern.compile("\\{([a-zA-Z_]+)}");

    private final PanelSimulator sim;
    private final PanelEngine engine;
    private final RateLimiter limiter = new RateLimiter();
    private final List<RouteDef> panelRoutes = new ArrayList<>();
    private final List<RouteDef> controlRoutes = new ArrayList<>();
    private final List<RouteDef> wingsRoutes = new ArrayList<>();

    PanelHttp(PanelSimulator sim, PanelEngine engine) {
        this.sim = sim;
        this.engine = engine;
        new ApplicationApi(engine, this).register();
        new ClientApi(engine, this).register();
        new ControlApi(sim, engine, this).register();
    }

    void panel(String method, String template, Route r) {
        panelRoutes.add(compile(method, template, r));
    }

    void control(String method, String template, Route r) {
        controlRoutes.add(compile(method, template, r));
    }

    void wings(String method, String template, Route r) {
        wingsRoutes.add(compile(method, template, r));
    }

    private static RouteDef compile(String method, String template, Route r) {
        List<String> names = new ArrayList<>();
        Matcher m = PARAM.matcher(template);
        StringBuilder sb = new StringBuilder("^");
        int last = 0;
        while (m.find()) {
            sb.append(Pattern.quote(template.substring(last, m.start())));
            sb.append("([^/]+)");
            names.add(m.group(1));
            last = m.end();
        }
        sb.append(Pattern.quote(template.substring(last))).append("/?$");
        return new RouteDef(method, Pattern.compile(sb.toString()), names, r);
    }

    void resetRateLimits() {
        limiter.reset();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String method = request.getMethod();
        String path = request.getHttpURI().getDecodedPath();
        if (path == null) path = "/";
        Ctx ctx = new Ctx(request, method, path);
        if (path.startsWith("/_sim")) {
            write(response, callback, dispatch(controlRoutes, ctx, false));
            return true;
        }
        if (path.startsWith("/api/")) {
            handlePanel(ctx, response, callback);
            return true;
        }
        write(response, callback, dispatch(wingsRoutes, ctx, false));
        return true;
    }

    // ---------------------------------------------------------------- panel pipeline

    private void handlePanel(Ctx ctx, Response response, Callback callback) {
        Instant at = Instant.now();
        ctx.logBody();
        String bucket;
        try {
            bucket = authenticate(ctx);
        } catch (PanelException e) {
            finish(ctx, at, "none", response, callback, Reply.error(e));
            return;
        }
        int limit = bucket.equals("application") ? engine.settings.applicationRateLimit : engine.settings.clientRateLimit;
        long retryAfter = limiter.tryAcquire(ctx.user.id + ":" + bucket, limit,
                engine.settings.rateLimitWindow.toMillis(), System.currentTimeMillis());
        if (retryAfter > 0) {
            finish(ctx, at, bucket, response, callback, Reply.error(PanelException.tooManyAttempts(retryAfter)));
            return;
        }
        FaultInjector.Decision fault = engine.faults.decide(ctx.method, ctx.path);
        if (fault != null && !fault.afterProcessing()) {
            injectFault(ctx, at, bucket, fault.fault(), response, callback);
            return;
        }
        Reply reply = dispatch(panelRoutes, ctx, true);
        if (fault != null) {
            injectFault(ctx, at, bucket, fault.fault(), response, callback);
            return;
        }
        if (!reply.delay.isZero() && !reply.delay.isNegative()) {
            engine.scheduler.schedule(() -> finish(ctx, at, bucket, response, callback, reply),
                    reply.delay.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        finish(ctx, at, bucket, response, callback, reply);
    }

    private String authenticate(Ctx ctx) {
        String auth = ctx.request.getHeaders().get(HttpHeader.AUTHORIZATION);
        boolean application = ctx.path.startsWith("/api/application");
        boolean client = ctx.path.startsWith("/api/client");
        if (!application && !client) throw PanelException.notFound();
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw PanelException.accessDenied(401);
        }
        String token = auth.substring(7).trim();
        PanelSimulatorConfig c = sim.configuration();
        // A revoked key is an unknown key to the panel: 401, as for any other token it does not have.
        boolean isApp = token.equals(c.applicationKey()) && !sim.settings().applicationKeyRevoked();
        boolean isClient = token.equals(c.clientKey());
        if (!isApp && !isClient) throw PanelException.accessDenied(401);
        if (application && !isApp) throw PanelException.accessDenied(403);
        if (client && !isClient) throw PanelException.accessDenied(403);
        synchronized (engine.state) {
            ctx.user = engine.state.users.get(1);
        }
        return application ? "application" : "client";
    }

    private void injectFault(Ctx ctx, Instant at, String bucket, FaultInjector.Fault fault, Response response, Callback callback) {
        switch (fault) {
            case HTTP_500 -> finish(ctx, at, bucket, response, callback,
                    Reply.error(PanelException.of(500, "HttpException", "An unexpected error was encountered while processing this request, please try again.")));
            case HTTP_502 -> finish(ctx, at, bucket, response, callback, Reply.error(PanelException.daemonError(502)));
            case HTTP_504 -> finish(ctx, at, bucket, response, callback, Reply.error(PanelException.daemonUnreachable()));
            case RATE_LIMIT -> {
                int ra = engine.faults.retryAfterSeconds();
                long secs = ra > 0 ? ra : limiter.secondsToReset(ctx.user.id + ":" + bucket,
                        engine.settings.rateLimitWindow.toMillis(), System.currentTimeMillis());
                finish(ctx, at, bucket, response, callback, Reply.error(PanelException.tooManyAttempts(secs)));
            }
            case RESET -> reset(ctx, at, bucket, callback);
            case TIMEOUT -> {
                Duration hold = engine.faults.timeoutHold();
                boolean close = engine.faults.timeoutThenClose();
                engine.scheduler.schedule(() -> {
                    if (close) reset(ctx, at, bucket, callback);
                    else finish(ctx, at, bucket, response, callback, Reply.error(PanelException.daemonUnreachable()));
                }, hold.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private void reset(Ctx ctx, Instant at, String bucket, Callback callback) {
        engine.state.log(record(ctx, at, 0, bucket));
        EndPoint ep = ctx.request.getConnectionMetaData().getConnection().getEndPoint();
        try {
            if (ep.getTransport() instanceof SocketChannel ch) ch.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (Exception ignored) {
            // best effort: a plain close is still a dropped connection
        }
        ep.close();
        callback.failed(new IOException("simulated connection reset"));
    }

    private void finish(Ctx ctx, Instant at, String bucket, Response response, Callback callback, Reply reply) {
        engine.state.log(record(ctx, at, reply.status, bucket));
        write(response, callback, reply);
    }

    private static SimState.RequestRecord record(Ctx ctx, Instant at, int status, String bucket) {
        String body = ctx.loggedBody == null ? "" : ctx.loggedBody;
        return new SimState.RequestRecord(at, Instant.now(), ctx.method, ctx.path,
                ctx.request.getHttpURI().getQuery(), body,
                ctx.request.getHeaders().get("X-AdminTK-Activity"), status, bucket);
    }

    private Reply dispatch(List<RouteDef> routes, Ctx ctx, boolean panel) {
        boolean pathMatched = false;
        for (RouteDef r : routes) {
            Matcher m = r.pattern.matcher(ctx.path);
            if (!m.matches()) continue;
            pathMatched = true;
            if (!r.method.equals(ctx.method)) continue;
            for (int i = 0; i < r.names.size(); i++) ctx.params.put(r.names.get(i), m.group(i + 1));
            try {
                return r.route.handle(ctx);
            } catch (PanelException e) {
                return Reply.error(e);
            } catch (Exception e) {
                return Reply.error(PanelException.of(500, e.getClass().getSimpleName(), String.valueOf(e.getMessage())));
            }
        }
        if (pathMatched) {
            return Reply.error(PanelException.of(405, "MethodNotAllowedHttpException", "The " + ctx.method + " method is not supported for route " + ctx.path + "."));
        }
        return Reply.error(PanelException.notFound());
    }

    private static void write(Response response, Callback callback, Reply reply) {
        response.setStatus(reply.status);
        if (reply.contentType != null) response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType);
        reply.headers.forEach((k, v) -> response.getHeaders().put(k, v));
        if (reply.body.length == 0) {
            callback.succeeded();
            return;
        }
        response.write(true, ByteBuffer.wrap(reply.body), callback);
    }

    // ---------------------------------------------------------------- helpers for the APIs

    static Set<String> includes(Ctx ctx) {
        Set<String> out = new LinkedHashSet<>();
        String inc = ctx.q("include");
        if (inc != null) for (String s : inc.split(",")) if (!s.isBlank()) out.add(s.trim());
        return out;
    }

    static int page(Ctx ctx) {
        try {
            return Math.max(1, Integer.parseInt(ctx.q("page") == null ? "1" : ctx.q("page")));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    static int perPage(Ctx ctx, int def, int max) {
        try {
            int v = ctx.q("per_page") == null ? def : Integer.parseInt(ctx.q("per_page"));
            return Math.max(1, Math.min(max, v));
        } catch (NumberFormatException e) {
            return def;
        }
    }

    String url(Ctx ctx) {
        return sim.baseUrl() + ctx.path;
    }

    static ObjectNode bodyObject(Ctx ctx) {
        JsonNode n = ctx.json();
        if (!n.isObject()) throw PanelException.badRequest("The JSON data passed in the request appears to be malformed.");
        return (ObjectNode) n;
    }
}
