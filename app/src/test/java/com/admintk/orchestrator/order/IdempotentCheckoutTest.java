package com.admintk.orchestrator.order;

import com.admintk.orchestrator.localstack.panel.SimState;
import com.admintk.orchestrator.testing.Shop;
import com.admintk.orchestrator.testing.TestApp;
import com.admintk.orchestrator.testing.TestStack;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

class IdempotentCheckoutTest {

    private static Shop shop;

    @BeforeAll
    static void open() {
        shop = Shop.open(Map.of());
    }

    @AfterAll
    static void close() {
        shop.close();
    }

    @Test
    void fiftyConcurrentCheckoutsWithOneKeyMakeOneOrderOneServerOneDebitAndFiftyIdenticalAnswers() throws Exception {
        String token = shop.login(Shop.DEMO);
        String key = "same-" + UUID.randomUUID();
        Map<String, Object> body = Shop.tkcoins("paper-2g");

        ExecutorService pool = Executors.newFixedThreadPool(50);
        List<Callable<String>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            calls.add(() -> rawCheckout(token, key, body));
        }
        List<String> answers = new ArrayList<>();
        for (Future<String> answer : pool.invokeAll(calls)) {
            answers.add(answer.get());
        }
        pool.shutdown();

        Set<String> distinct = new HashSet<>(answers);
        assertEquals(1, distinct.size(), "50 identical responses: " + distinct);
        String answer = answers.get(0);
        assertEquals(true, answer.startsWith("202 "), answer);
        String orderId = answer.replaceAll(".*\"orderId\":\"(ord_[0-9a-f]+)\".*", "$1");

        Map<String, Object> order = shop.awaitOrder(token, orderId, Shop::terminal, Duration.ofSeconds(90));
        assertEquals("ACTIVE", order.get("status"), String.valueOf(order));

        Map<String, Object> list = shop.app().exchange(HttpRequest.GET("/api/v1/orders?size=100").bearerAuth(token))
                .getBody().orElseThrow();
        long orders = ((List<?>) list.get("items")).stream()
                .filter(item -> ((Map<?, ?>) item).get("serverName").equals(body.get("serverName"))).count();
        assertEquals(1, orders, "one order");

        List<SimState.ServerView> servers = TestStack.panel().state().servers().stream()
                .filter(server -> ("order:" + orderId).equals(server.externalId())).toList();
        assertEquals(1, servers.size(), "one server");
        long debits = shop.ledger(token).stream().filter(entry -> "DEBIT".equals(entry.get("type"))
                && String.valueOf(entry.get("key")).contains(orderId)).count();
        assertEquals(1, debits, "one debit");

        WorkflowClient temporal = shop.app().bean(WorkflowClient.class);
        long runs = temporal.fetchHistory("order:" + orderId).getHistory().getEventsList().stream()
                .filter(event -> event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED).count();
        assertEquals(1, runs, "one workflow run");
    }

    @Test
    void theSameKeyWithAnotherBodyIsRejectedAndChangesNothing() {
        String token = shop.login(Shop.DEMO);
        String key = "reuse-" + UUID.randomUUID();
        HttpResponse<Map<String, Object>> first = shop.checkout(token, key, Shop.tkcoins("paper-2g"));
        assertEquals(202, first.code());
        HttpResponse<Map<String, Object>> second = shop.checkout(token, key, Shop.tkcoins("paper-8g"));
        assertEquals(422, second.code());
        assertEquals("IDEMPOTENCY_KEY_REUSED", TestApp.error(second).get("code"));
    }

    @Test
    void aCheckoutWithoutAnIdempotencyKeyIsRefused() {
        String token = shop.login(Shop.DEMO);
        HttpResponse<Map<String, Object>> response = shop.app().exchange(
                HttpRequest.POST("/api/v1/orders", Shop.tkcoins("paper-2g")).bearerAuth(token));
        assertEquals(400, response.code());
        assertEquals("IDEMPOTENCY_KEY_REQUIRED", TestApp.error(response).get("code"));
    }

    /** "status body" as received, so identical answers compare equal as strings. */
    private static String rawCheckout(String token, String key, Map<String, Object> body) {
        try {
            HttpResponse<String> response = shop.app().http().exchange(HttpRequest.POST("/api/v1/orders", body)
                    .bearerAuth(token).header("Idempotency-Key", key), Argument.STRING);
            return response.code() + " " + response.body();
        } catch (HttpClientResponseException e) {
            return e.getStatus().getCode() + " " + e.getResponse().getBody(String.class).orElse("");
        }
    }
}
