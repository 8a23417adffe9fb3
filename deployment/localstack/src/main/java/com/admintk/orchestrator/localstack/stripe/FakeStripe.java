package com.admintk.orchestrator.localstack.stripe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local stand-in for the few Stripe endpoints the orchestrator uses, answering in Stripe's shapes so stripe-java
 * can be pointed at it ({@code StripeClient.builder().setApiBase(fake.apiBase())} or {@code Stripe.overrideApiBase}).
 *
 * <ul>
 *   <li>{@code POST /v1/payment_intents}, {@code GET /v1/payment_intents/{id}},
 *       {@code POST /v1/payment_intents/{id}/cancel}, {@code POST /v1/refunds}.</li>
 *   <li>{@code Idempotency-Key} on POSTs as Stripe keeps it: the first answer (status and body, declines included)
 *       is replayed for the same key and parameters with {@code Idempotent-Replayed: true}; the same key with other
 *       parameters gets 400 {@code idempotency_error}; a validation error stores nothing.</li>
 *   <li>Faults: an amount of {@link #DECLINED_AMOUNT} (or {@link #declineAll}) answers 402 {@code card_error};
 *       {@link #failNext} answers the next requests with 5xx or 429 before they reach the API, so nothing is stored
 *       under their idempotency keys and a retry goes through.</li>
 *   <li>Webhooks signed exactly as Stripe signs them: {@link #succeed}, {@link #fail}, {@link #refunded} change the
 *       PaymentIntent and return the signed event; {@link #deliver} POSTs one to a URL.</li>
 * </ul>
 *
 * <p>Not Micronaut: it runs in tests and in the local stack alike. State is in memory, one lock for all of it.
 */
public final class FakeStripe implements AutoCloseable {

    /** Creating a PaymentIntent for this amount answers 402 {@code card_declined}. */
    public static final long DECLINED_AMOUNT = 402;
    public static final String DEFAULT_WEBHOOK_SECRET = "whsec_admintk_local";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern INTENT = Pattern.compile("^/v1/payment_intents/([^/]+)$");
    private static final Pattern CANCEL = Pattern.compile("^/v1/payment_intents/([^/]+)/cancel$");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /** A webhook event: its id, type, the raw JSON body and the {@code Stripe-Signature} header it was signed with. */
    public record SignedEvent(String eventId, String type, String payload, String signatureHeader) {
    }

    private record Stored(String fingerprint, int status, String body) {
    }

    private record Answer(int status, String body) {
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final String webhookSecret;
    private final HttpClient webhookClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Object lock = new Object();
    private final Map<String, Map<String, Object>> intents = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> refunds = new LinkedHashMap<>();
    private final Map<String, Stored> idempotency = new HashMap<>();
    private final List<String> requestLog = new ArrayList<>();
    private final List<Integer> pendingFaults = new ArrayList<>();
    private boolean declineAll;
    private boolean refundsFail;
    private final AtomicInteger requests = new AtomicInteger();

    private FakeStripe(HttpServer server, ExecutorService executor, String webhookSecret) {
        this.server = server;
        this.executor = executor;
        this.webhookSecret = webhookSecret;
    }

    /** Starts on a free port with {@link #DEFAULT_WEBHOOK_SECRET}. */
    public static FakeStripe start() {
        return start(0, DEFAULT_WEBHOOK_SECRET);
    }

    /** Starts on {@code port} (0 = a free one) on the loopback interface, signing webhooks with {@code webhookSecret}. */
    public static FakeStripe start(int port, String webhookSecret) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            ExecutorService executor = Executors.newFixedThreadPool(8, r -> {
                Thread t = new Thread(r, "fake-stripe");
                t.setDaemon(true);
                return t;
            });
            FakeStripe fake = new FakeStripe(server, executor, webhookSecret);
            server.createContext("/", fake::handle);
            server.setExecutor(executor);
            server.start();
            return fake;
        } catch (IOException e) {
            throw new IllegalStateException("fake Stripe could not bind port " + port, e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** What to give stripe-java as its API base, e.g. {@code http://127.0.0.1:54321}. */
    public String apiBase() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + port();
    }

    public String webhookSecret() {
        return webhookSecret;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---------------------------------------------------------------- faults

    /** Every create declines with 402 {@code card_declined} while on. */
    public void declineAll(boolean on) {
        synchronized (lock) {
            declineAll = on;
        }
    }

    /** Refunds are created with {@code status: failed} while on. */
    public void failRefunds(boolean on) {
        synchronized (lock) {
            refundsFail = on;
        }
    }

    /**
     * The next {@code count} requests answer {@code status} (500, 503, 429...) without reaching the API, as a load
     * balancer or the rate limiter would: nothing is stored under their idempotency keys.
     */
    public void failNext(int count, int status) {
        synchronized (lock) {
            for (int i = 0; i < count; i++) {
                pendingFaults.add(status);
            }
        }
    }

    /** Forgets faults, toggles and stored state. */
    public void reset() {
        synchronized (lock) {
            intents.clear();
            refunds.clear();
            idempotency.clear();
            requestLog.clear();
            pendingFaults.clear();
            declineAll = false;
            refundsFail = false;
        }
    }

    // ---------------------------------------------------------------- inspection

    /** A copy of the stored PaymentIntent. */
    public Optional<Map<String, Object>> paymentIntent(String id) {
        synchronized (lock) {
            return Optional.ofNullable(intents.get(id)).map(FakeStripe::deepCopy);
        }
    }

    public List<Map<String, Object>> paymentIntents() {
        synchronized (lock) {
            return intents.values().stream().map(FakeStripe::deepCopy).toList();
        }
    }

    public List<Map<String, Object>> refunds() {
        synchronized (lock) {
            return refunds.values().stream().map(FakeStripe::deepCopy).toList();
        }
    }

    /** {@code "POST /v1/payment_intents"}... one line per request that reached the API (after faults). */
    public List<String> requestLog() {
        synchronized (lock) {
            return List.copyOf(requestLog);
        }
    }

    /** Every request received, faults included. */
    public int requestCount() {
        return requests.get();
    }

    // ---------------------------------------------------------------- webhooks

    /** The customer paid: the intent becomes {@code succeeded}; answers the signed {@code payment_intent.succeeded}. */
    public SignedEvent succeed(String paymentIntentId) {
        synchronized (lock) {
            Map<String, Object> pi = intentOrThrow(paymentIntentId);
            if ("canceled".equals(pi.get("status"))) {
                throw new IllegalStateException(paymentIntentId + " is canceled and cannot succeed");
            }
            pi.put("status", "succeeded");
            pi.put("amount_received", pi.get("amount"));
            pi.put("latest_charge", "ch_" + randomId(24));
            pi.put("last_payment_error", null);
            return event("payment_intent.succeeded", pi);
        }
    }

    /** A payment attempt failed: the intent goes back to {@code requires_payment_method} with the error. */
    public SignedEvent fail(String paymentIntentId) {
        return fail(paymentIntentId, "Your card was declined.");
    }

    public SignedEvent fail(String paymentIntentId, String message) {
        synchronized (lock) {
            Map<String, Object> pi = intentOrThrow(paymentIntentId);
            pi.put("status", "requires_payment_method");
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("type", "card_error");
            error.put("code", "card_declined");
            error.put("decline_code", "generic_decline");
            error.put("message", message);
            pi.put("last_payment_error", error);
            return event("payment_intent.payment_failed", pi);
        }
    }

    /** A {@code charge.refunded} event for the intent's charge (after a refund). */
    public SignedEvent refunded(String paymentIntentId) {
        synchronized (lock) {
            Map<String, Object> pi = intentOrThrow(paymentIntentId);
            Map<String, Object> charge = new LinkedHashMap<>();
            charge.put("id", pi.get("latest_charge"));
            charge.put("object", "charge");
            charge.put("amount", pi.get("amount"));
            charge.put("amount_refunded", pi.get("amount"));
            charge.put("currency", pi.get("currency"));
            charge.put("payment_intent", pi.get("id"));
            charge.put("refunded", true);
            charge.put("metadata", pi.get("metadata"));
            return event("charge.refunded", charge);
        }
    }

    /** The same event signed again now, as Stripe does when it retries a delivery. */
    public SignedEvent resign(SignedEvent event) {
        return new SignedEvent(event.eventId(), event.type(), event.payload(),
                StripeSignatures.signNow(webhookSecret, event.payload()));
    }

    /** POSTs the event to {@code url} with its {@code Stripe-Signature} header; answers the HTTP status. */
    public int deliver(SignedEvent event, URI url) {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)")
                .header(StripeSignatures.HEADER, event.signatureHeader())
                .POST(HttpRequest.BodyPublishers.ofString(event.payload(), StandardCharsets.UTF_8))
                .build();
        try {
            return webhookClient.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new IllegalStateException("webhook delivery to " + url + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private SignedEvent event(String type, Map<String, Object> object) {
        String id = "evt_" + randomId(24);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", id);
        event.put("object", "event");
        event.put("api_version", "2025-08-27.basil");
        event.put("created", now());
        event.put("livemode", false);
        event.put("pending_webhooks", 1);
        event.put("type", type);
        event.put("data", Map.of("object", deepCopy(object)));
        String payload = write(event);
        return new SignedEvent(id, type, payload, StripeSignatures.signNow(webhookSecret, payload));
    }

    // ---------------------------------------------------------------- HTTP

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            String rawBody = new String(readAll(exchange.getRequestBody()), StandardCharsets.UTF_8);
            Map<String, String> form = "POST".equals(method) ? parseForm(rawBody) : parseForm(
                    Optional.ofNullable(exchange.getRequestURI().getRawQuery()).orElse(""));
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            Answer answer;
            boolean replayed = false;
            synchronized (lock) {
                Integer fault = pendingFaults.isEmpty() ? null : pendingFaults.remove(0);
                if (fault != null) {
                    answer = fault == 429
                            ? error(429, "rate_limit_error", "rate_limit", null, "Too many requests hit the API too quickly.")
                            : error(fault, "api_error", null, null, "An unknown error occurred (injected).");
                } else if (!authorized(exchange)) {
                    answer = error(401, "invalid_request_error", null, null,
                            "You did not provide an API key. Provide it as Authorization: Bearer sk_...");
                } else if ("POST".equals(method) && key != null && !key.isBlank()) {
                    String fingerprint = method + " " + path + " " + new TreeMap<>(form);
                    Stored stored = idempotency.get(key);
                    if (stored != null && stored.fingerprint().equals(fingerprint)) {
                        answer = new Answer(stored.status(), stored.body());
                        replayed = true;
                    } else if (stored != null) {
                        answer = error(400, "idempotency_error", null, null, "Keys for idempotent requests can only "
                                + "be used with the same parameters they were first used with. Try using a key other "
                                + "than '" + key + "' if you meant to execute a different request.");
                    } else {
                        requestLog.add(method + " " + path);
                        answer = route(method, path, form);
                        if (answer.status() != 400 && answer.status() != 401 && answer.status() != 404) {
                            idempotency.put(key, new Stored(fingerprint, answer.status(), answer.body()));
                        }
                    }
                } else {
                    requestLog.add(method + " " + path);
                    answer = route(method, path, form);
                }
            }
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("Request-Id", "req_" + randomId(14));
            if (key != null) {
                exchange.getResponseHeaders().set("Idempotency-Key", key);
            }
            if (replayed) {
                exchange.getResponseHeaders().set("Idempotent-Replayed", "true");
            }
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (RuntimeException e) {
            byte[] bytes = write(Map.of("error", Map.of("type", "api_error", "message", String.valueOf(e))))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(500, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private static boolean authorized(HttpExchange exchange) {
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        return auth != null && auth.startsWith("Bearer ") && auth.length() > "Bearer ".length();
    }

    private Answer route(String method, String path, Map<String, String> form) {
        Matcher m;
        if ("POST".equals(method) && "/v1/payment_intents".equals(path)) {
            return createIntent(form);
        }
        if ("POST".equals(method) && (m = CANCEL.matcher(path)).matches()) {
            return cancelIntent(m.group(1), form);
        }
        if ("GET".equals(method) && (m = INTENT.matcher(path)).matches()) {
            Map<String, Object> pi = intents.get(m.group(1));
            return pi == null ? missing("payment_intent", m.group(1)) : ok(pi);
        }
        if ("POST".equals(method) && "/v1/refunds".equals(path)) {
            return createRefund(form);
        }
        return error(404, "invalid_request_error", null, null,
                "Unrecognized request URL (" + method + ": " + path + ").");
    }

    private Answer createIntent(Map<String, String> form) {
        Long amount = parseLong(form.get("amount"));
        if (amount == null || amount < 1) {
            return error(400, "invalid_request_error", "parameter_missing", "amount",
                    "Missing required param: amount.");
        }
        String currency = form.get("currency");
        if (currency == null || !currency.matches("[a-z]{3}")) {
            return error(400, "invalid_request_error", currency == null ? "parameter_missing" : "parameter_invalid",
                    "currency", currency == null ? "Missing required param: currency."
                            : "Invalid currency: " + currency + ".");
        }
        if (declineAll || amount == DECLINED_AMOUNT) {
            Map<String, Object> body = errorBody("card_error", "card_declined", null, "Your card was declined.");
            @SuppressWarnings("unchecked")
            Map<String, Object> err = (Map<String, Object>) body.get("error");
            err.put("decline_code", "generic_decline");
            return new Answer(402, write(body));
        }
        String id = "pi_" + randomId(24);
        Map<String, Object> pi = new LinkedHashMap<>();
        pi.put("id", id);
        pi.put("object", "payment_intent");
        pi.put("amount", amount);
        pi.put("amount_received", 0);
        pi.put("automatic_payment_methods", Map.of("enabled", "true".equals(form.get("automatic_payment_methods[enabled]"))));
        pi.put("canceled_at", null);
        pi.put("cancellation_reason", null);
        pi.put("capture_method", "automatic");
        pi.put("client_secret", id + "_secret_" + randomId(24));
        pi.put("confirmation_method", "automatic");
        pi.put("created", now());
        pi.put("currency", currency);
        pi.put("description", form.get("description"));
        pi.put("last_payment_error", null);
        pi.put("latest_charge", null);
        pi.put("livemode", false);
        pi.put("metadata", nested(form, "metadata"));
        pi.put("receipt_email", form.get("receipt_email"));
        pi.put("status", "requires_payment_method");
        intents.put(id, pi);
        return ok(pi);
    }

    private Answer cancelIntent(String id, Map<String, String> form) {
        Map<String, Object> pi = intents.get(id);
        if (pi == null) {
            return missing("payment_intent", id);
        }
        String status = (String) pi.get("status");
        if ("succeeded".equals(status) || "canceled".equals(status)) {
            Map<String, Object> body = errorBody("invalid_request_error", "payment_intent_unexpected_state", null,
                    "You cannot cancel this PaymentIntent because it has a status of " + status + ". Only a "
                            + "PaymentIntent with one of the following statuses may be canceled: "
                            + "requires_payment_method, requires_capture, requires_confirmation, requires_action, "
                            + "processing.");
            @SuppressWarnings("unchecked")
            Map<String, Object> err = (Map<String, Object>) body.get("error");
            err.put("payment_intent", deepCopy(pi));
            return new Answer(400, write(body));
        }
        pi.put("status", "canceled");
        pi.put("canceled_at", now());
        pi.put("cancellation_reason", form.getOrDefault("cancellation_reason", "requested_by_customer"));
        return ok(pi);
    }

    private Answer createRefund(Map<String, String> form) {
        String intentId = form.get("payment_intent");
        if (intentId == null) {
            return error(400, "invalid_request_error", "parameter_missing", "payment_intent",
                    "One of the following params should be provided for this request: payment_intent or charge.");
        }
        Map<String, Object> pi = intents.get(intentId);
        if (pi == null) {
            return missing("payment_intent", intentId);
        }
        if (!"succeeded".equals(pi.get("status"))) {
            return error(400, "invalid_request_error", "payment_intent_unexpected_state", "payment_intent",
                    "This PaymentIntent (" + intentId + ") does not have a successful charge to refund.");
        }
        long amount = ((Number) pi.get("amount")).longValue();
        long alreadyRefunded = refunds.values().stream()
                .filter(r -> intentId.equals(r.get("payment_intent")) && !"failed".equals(r.get("status")))
                .mapToLong(r -> ((Number) r.get("amount")).longValue()).sum();
        Long requested = parseLong(form.get("amount"));
        long refundAmount = requested == null ? amount - alreadyRefunded : requested;
        if (alreadyRefunded >= amount) {
            return error(400, "invalid_request_error", "charge_already_refunded", null,
                    "Charge " + pi.get("latest_charge") + " has already been refunded.");
        }
        if (refundAmount < 1 || alreadyRefunded + refundAmount > amount) {
            return error(400, "invalid_request_error", "amount_too_large", "amount",
                    "Refund amount (" + refundAmount + ") is greater than unrefunded amount on charge ("
                            + (amount - alreadyRefunded) + ")");
        }
        String id = "re_" + randomId(24);
        Map<String, Object> refund = new LinkedHashMap<>();
        refund.put("id", id);
        refund.put("object", "refund");
        refund.put("amount", refundAmount);
        refund.put("charge", pi.get("latest_charge"));
        refund.put("created", now());
        refund.put("currency", pi.get("currency"));
        refund.put("metadata", nested(form, "metadata"));
        refund.put("payment_intent", intentId);
        refund.put("reason", form.get("reason"));
        refund.put("status", refundsFail ? "failed" : "succeeded");
        refund.put("failure_reason", refundsFail ? "unknown" : null);
        refunds.put(id, refund);
        return ok(refund);
    }

    // ---------------------------------------------------------------- helpers

    private Map<String, Object> intentOrThrow(String id) {
        Map<String, Object> pi = intents.get(id);
        if (pi == null) {
            throw new IllegalArgumentException("no such payment_intent: " + id);
        }
        return pi;
    }

    private static Answer ok(Map<String, Object> body) {
        return new Answer(200, write(body));
    }

    private static Answer missing(String kind, String id) {
        return error(404, "invalid_request_error", "resource_missing", "id",
                "No such " + kind + ": '" + id + "'");
    }

    private static Answer error(int status, String type, String code, String param, String message) {
        return new Answer(status, write(errorBody(type, code, param, message)));
    }

    private static Map<String, Object> errorBody(String type, String code, String param, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", type);
        if (code != null) {
            error.put("code", code);
        }
        if (param != null) {
            error.put("param", param);
        }
        error.put("message", message);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        return body;
    }

    /** {@code metadata[order_id]=x} → {@code {order_id: x}}. */
    private static Map<String, Object> nested(Map<String, String> form, String prefix) {
        Map<String, Object> out = new LinkedHashMap<>();
        String start = prefix + "[";
        form.forEach((k, v) -> {
            if (k.startsWith(start) && k.endsWith("]")) {
                out.put(k.substring(start.length(), k.length() - 1), v);
            }
        });
        return out;
    }

    private static Map<String, String> parseForm(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        if (body == null || body.isEmpty()) {
            return form;
        }
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            form.put(k, v);
        }
        return form;
    }

    private static Long parseLong(String s) {
        try {
            return s == null ? null : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    private static String randomId(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepCopy(Map<String, Object> map) {
        try {
            return Collections.unmodifiableMap(JSON.readValue(JSON.writeValueAsString(map), LinkedHashMap.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
