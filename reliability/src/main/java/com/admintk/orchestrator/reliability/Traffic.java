package com.admintk.orchestrator.reliability;

import com.admintk.orchestrator.identity.DemoAccounts;
import com.admintk.orchestrator.localstack.stripe.FakeStripe;
import com.admintk.orchestrator.reliability.Snapshot.AcceptedOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.samstevens.totp.code.DefaultCodeGenerator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The steady mixed load over both api instances. Every request goes to one instance and, at the same time, with the
 * same Idempotency-Key to the other (a duplicate delivery); a request that got no answer from either is sent again
 * with the same key, as a client would. Every card payment the fake Stripe holds is paid, and its signed webhook is
 * delivered to both instances. WebSocket watchers subscribe to orders and servers meanwhile.
 */
final class Traffic {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    /** One answer of one delivery: {@code status} -1 when nothing answered. */
    record Answer(int status, String body) {
        boolean decided() {
            return status >= 200 && status < 500;
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (Exception e) {
                return JSON.createObjectNode();
            }
        }
    }

    private final SoakStack stack;
    private final Fleet fleet;
    private final Map<String, Double> rates;
    private final ExecutorService pool = Executors.newFixedThreadPool(24);
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(4);
    private volatile boolean running;

    final Queue<AcceptedOrder> accepted = new ConcurrentLinkedQueue<>();
    final Set<String> topUps = ConcurrentHashMap.newKeySet();
    final List<String> divergentDuplicates = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final Set<String> paidIntents = ConcurrentHashMap.newKeySet();
    private final List<String> customerTokens = new CopyOnWriteArrayList<>();
    private final List<String> customerIds = new CopyOnWriteArrayList<>();
    private volatile String adminToken;
    /** ACTIVE servers by id, with the index of their owner in {@link #customerTokens}; refreshed by an admin list. */
    private final Map<String, Integer> activeServers = new ConcurrentHashMap<>();
    private final AtomicLong keys = new AtomicLong();

    Traffic(SoakStack stack, Fleet fleet, Map<String, Double> rates) {
        this.stack = stack;
        this.fleet = fleet;
        this.rates = rates;
    }

    void login() {
        for (String email : stack.customerEmails) {
            JsonNode body = until(() -> post(fleet.randomApi(), "/api/v1/auth/login", null, null,
                    Map.of("email", email, "password", SoakStack.PASSWORD)), "login " + email).json();
            customerTokens.add(body.path("accessToken").asText());
            customerIds.add(stack.customerIds.get(email));
        }
        String mfa = until(() -> post(fleet.randomApi(), "/api/v1/auth/login", null, null,
                Map.of("email", DemoAccounts.ADMIN_EMAIL, "password", SoakStack.PASSWORD)), "admin login").json()
                .path("mfaToken").asText();
        adminToken = until(() -> post(fleet.randomApi(), "/api/v1/auth/login/totp", null, null,
                Map.of("mfaToken", mfa, "code", totp())), "admin code").json().path("accessToken").asText();
    }

    private static String totp() {
        try {
            return new DefaultCodeGenerator().generate(DemoAccounts.DEFAULT_TOTP_SECRET, System.currentTimeMillis() / 1000 / 30);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private interface Call {
        Answer call();
    }

    private static Answer until(Call call, String what) {
        for (int attempt = 1; attempt <= 60; attempt++) {
            Answer answer = call.call();
            if (answer.status() == 200 || answer.status() == 201) {
                return answer;
            }
            Fleet.sleep(2_000);
        }
        throw new IllegalStateException(what + " never succeeded");
    }

    /** Starts every action at its rate (per second), the card payer and the WebSocket watchers. */
    void start() {
        running = true;
        rates.forEach((action, perSecond) -> {
            if (perSecond <= 0) {
                return;
            }
            long periodMicros = (long) (1_000_000 / perSecond);
            timers.scheduleAtFixedRate(() -> {
                if (running) {
                    pool.submit(() -> act(action));
                }
            }, ThreadLocalRandom.current().nextLong(periodMicros), periodMicros, TimeUnit.MICROSECONDS);
        });
        timers.scheduleWithFixedDelay(this::payCardPayments, 2, 2, TimeUnit.SECONDS);
        timers.scheduleWithFixedDelay(this::refreshServers, 5, 10, TimeUnit.SECONDS);
        int watchers = (int) Math.round(rates.getOrDefault("watchers", 4.0));
        for (int i = 0; i < watchers; i++) {
            pool.submit(this::watch);
        }
    }

    /** Stops new requests; payments and webhooks go on (the settle phase needs them). */
    void stopLoad() {
        running = false;
    }

    void close() {
        running = false;
        timers.shutdownNow();
        pool.shutdownNow();
    }

    private void act(String action) {
        try {
            switch (action) {
                case "checkout" -> checkout(SoakStack.PLAN, "tkcoins");
                case "card" -> checkout(SoakStack.PLAN, "card");
                case "soldout" -> checkout(SoakStack.SOLD_OUT_PLAN, ThreadLocalRandom.current().nextBoolean() ? "tkcoins" : "card");
                case "topup" -> topUp();
                case "cancel" -> serverAction("cancel", "POST", "/cancel", Map.of("reason", "soak cancellation"), false);
                case "renew" -> serverAction("renew", "POST", "/renew", Map.of(), false);
                case "plan" -> serverAction("plan", "PATCH", "/plan", Map.of("planId",
                        ThreadLocalRandom.current().nextBoolean() ? SoakStack.BIG_PLAN : SoakStack.PLAN), false);
                case "reinstall" -> serverAction("reinstall", "POST", "/reinstall", Map.of(), false);
                case "power" -> serverAction("power", "POST", "/power", Map.of("signal",
                        List.of("start", "restart", "stop").get(ThreadLocalRandom.current().nextInt(3))), false);
                case "suspend" -> suspendThenUnsuspend();
                case "watchers" -> { }
                default -> throw new IllegalArgumentException("unknown action " + action);
            }
        } catch (RuntimeException e) {
            count("harness_error");
        }
    }

    private void checkout(String planId, String method) {
        int customer = ThreadLocalRandom.current().nextInt(customerTokens.size());
        Map<String, Object> body = Map.of("planId", planId, "serverName", "Soak " + keys.incrementAndGet(),
                "paymentMethod", method, "eggVariables", Map.of("MINECRAFT_VERSION", "1.21"));
        List<Answer> answers = deliverTwice("checkout", "POST", "/api/v1/orders", customerTokens.get(customer), body);
        String first = null;
        for (Answer a : answers) {
            if (a.status() == 202) {
                String orderId = a.json().path("orderId").asText(null);
                if (first == null) {
                    first = orderId;
                    accepted.add(new AcceptedOrder(orderId, customerIds.get(customer), method));
                } else if (!first.equals(orderId)) {
                    divergentDuplicates.add("one Idempotency-Key answered orders " + first + " and " + orderId);
                    accepted.add(new AcceptedOrder(orderId, customerIds.get(customer), method));
                }
            }
            if (a.status() == 409 && a.body().contains("SOLD_OUT")) {
                count("sold_out");
            }
        }
    }

    private void topUp() {
        int customer = ThreadLocalRandom.current().nextInt(customerTokens.size());
        for (Answer a : deliverTwice("topup", "POST", "/api/v1/wallet/top-ups", customerTokens.get(customer),
                Map.of("coins", 500 + ThreadLocalRandom.current().nextInt(5000)))) {
            if (a.status() == 202) {
                topUps.add(a.json().path("topUpId").asText());
            }
        }
    }

    private void serverAction(String name, String method, String suffix, Map<String, Object> body, boolean admin) {
        List<Map.Entry<String, Integer>> servers = new ArrayList<>(activeServers.entrySet());
        if (servers.isEmpty()) {
            return;
        }
        Map.Entry<String, Integer> server = servers.get(ThreadLocalRandom.current().nextInt(servers.size()));
        String token = admin ? adminToken : customerTokens.get(server.getValue());
        deliverTwice(name, method, "/api/v1/servers/" + server.getKey() + suffix, token, body);
    }

    private void suspendThenUnsuspend() {
        List<String> servers = new ArrayList<>(activeServers.keySet());
        if (servers.isEmpty()) {
            return;
        }
        String server = servers.get(ThreadLocalRandom.current().nextInt(servers.size()));
        deliverTwice("suspend", "POST", "/api/v1/admin/servers/" + server + "/suspend",
                adminToken, Map.of("reason", "soak: admin suspension"));
        timers.schedule(() -> pool.submit(() -> deliverTwice("unsuspend", "POST",
                "/api/v1/admin/servers/" + server + "/unsuspend", adminToken, Map.of("reason", "soak: lifted"))),
                5 + ThreadLocalRandom.current().nextInt(15), TimeUnit.SECONDS);
    }

    /** The ACTIVE servers and their owners, as an admin lists them. */
    private void refreshServers() {
        try {
            Answer answer = get(fleet.randomApi(), "/api/v1/servers?status=ACTIVE&size=100", adminToken);
            if (answer.status() != 200) {
                return;
            }
            Map<String, Integer> fresh = new TreeMap<>();
            for (JsonNode item : answer.json().path("items")) {
                int owner = customerIds.indexOf(item.path("customerId").asText());
                if (owner >= 0) {
                    fresh.put(item.path("id").asText(), owner);
                }
            }
            activeServers.keySet().retainAll(fresh.keySet());
            activeServers.putAll(fresh);
        } catch (RuntimeException e) {
            count("harness_error");
        }
    }

    /**
     * One logical request: to a random instance and, concurrently with the same key, to the other. Sent again with
     * the same key (up to 5 times) while neither delivery got a decided answer (only 5xx or no answer).
     */
    List<Answer> deliverTwice(String action, String method, String path, String token, Object body) {
        String key = "soak-" + action + "-" + keys.incrementAndGet();
        List<Answer> all = new ArrayList<>();
        for (int attempt = 1; attempt <= 5; attempt++) {
            List<String> urls = new ArrayList<>(fleet.apiUrls());
            if (ThreadLocalRandom.current().nextBoolean()) {
                java.util.Collections.reverse(urls);
            }
            List<CompletableFuture<Answer>> deliveries = new ArrayList<>();
            for (String url : urls) {
                deliveries.add(CompletableFuture.supplyAsync(() -> send(method, url, path, token, key, body), pool));
            }
            boolean decided = false;
            for (CompletableFuture<Answer> delivery : deliveries) {
                Answer answer = delivery.join();
                all.add(answer);
                count(action, answer.status());
                decided |= answer.decided();
            }
            if (decided || !running && attempt >= 2) {
                break;
            }
            Fleet.sleep(2_000);
        }
        return all;
    }

    private Answer post(String base, String path, String token, String key, Object body) {
        return send("POST", base, path, token, key, body);
    }

    private Answer get(String base, String path, String token) {
        return send("GET", base, path, token, null, null);
    }

    private Answer send(String method, String base, String path, String token, String key, Object body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(40))
                    .header("Content-Type", "application/json");
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            if (key != null) {
                request.header("Idempotency-Key", key);
            }
            request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, e.toString());
        } catch (Exception e) {
            return new Answer(-1, e.toString());
        }
    }

    /** The customer pays every card payment the provider holds; the webhook goes to both instances until one takes it. */
    private void payCardPayments() {
        try {
            for (Map<String, Object> intent : stack.stripe.paymentIntents()) {
                String id = String.valueOf(intent.get("id"));
                String status = String.valueOf(intent.get("status"));
                if ("succeeded".equals(status) || "canceled".equals(status) || !paidIntents.add(id)) {
                    continue;
                }
                pool.submit(() -> pay(id));
            }
        } catch (RuntimeException e) {
            count("harness_error");
        }
    }

    private void pay(String intentId) {
        FakeStripe.SignedEvent event;
        try {
            event = stack.stripe.succeed(intentId);
        } catch (RuntimeException canceledMeanwhile) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        boolean taken = false;
        while (!taken && System.nanoTime() < deadline) {
            for (String url : fleet.apiUrls()) {
                // Stripe signs every delivery anew; the event and its id stay the same.
                int status = stack.stripe.deliver(stack.stripe.resign(event), URI.create(url + "/api/v1/payments/webhooks/stripe"));
                count("webhook", status);
                taken |= status >= 200 && status < 300;
            }
            if (!taken) {
                Fleet.sleep(3_000);
            }
        }
    }

    /** A watcher: a socket on a random instance, authenticated, watching a server or an order for a while, again. */
    private void watch() {
        while (!Thread.currentThread().isInterrupted() && (running || counts.isEmpty())) {
            int customer = ThreadLocalRandom.current().nextInt(customerTokens.size());
            String ws = fleet.randomApi().replace("http://", "ws://") + "/api/v1/ws";
            try {
                WebSocket socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                        .buildAsync(URI.create(ws), new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                                count("ws_message");
                                webSocket.request(1);
                                return null;
                            }
                        }).get(10, TimeUnit.SECONDS);
                count("ws_connected");
                socket.sendText(JSON.writeValueAsString(Map.of("type", "auth", "token", customerTokens.get(customer))), true);
                List<AcceptedOrder> orders = new ArrayList<>(accepted);
                List<String> servers = activeServers.entrySet().stream().filter(e -> e.getValue() == customer)
                        .map(Map.Entry::getKey).toList();
                if (!servers.isEmpty()) {
                    socket.sendText(JSON.writeValueAsString(Map.of("type", "subscribe", "id", "s1",
                            "server", servers.get(ThreadLocalRandom.current().nextInt(servers.size())))), true);
                }
                orders.stream().filter(o -> customerIds.get(customer).equals(o.customerId())).reduce((a, b) -> b)
                        .ifPresent(o -> socket.sendText(json(Map.of("type", "subscribe", "id", "o1", "order", o.orderId())), true));
                Fleet.sleep(15_000 + ThreadLocalRandom.current().nextInt(15_000));
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
            } catch (Exception e) {
                count("ws_failed");
                Fleet.sleep(2_000);
            }
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void count(String action, int status) {
        String kind = status < 0 ? "no_answer" : (status / 100) + "xx";
        count("requests");
        count("status_" + kind);
        count(action + "_" + kind);
    }

    private void count(String name) {
        counts.computeIfAbsent(name, k -> new AtomicLong()).incrementAndGet();
    }

    Map<String, Long> counts() {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }
}
