package com.admintk.orchestrator.order;

import com.admintk.orchestrator.payment.PaymentIds;
import com.admintk.orchestrator.server.ServerLifecycleWorkflow;
import com.admintk.orchestrator.store.Database;
import com.admintk.orchestrator.testing.Shop;
import com.admintk.orchestrator.testing.TestApp;
import com.admintk.orchestrator.testing.TestStack;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 9, "secrets stay secret": what an operator with Temporal access reads without the codec, what the codec
 * endpoint gives an admin (and refuses everyone else), and what MongoDB holds of a secret game setting.
 */
class SecretsStaySecretEndToEndTest {

    private static final String CODEC = "/api/v1/admin/temporal-codec";
    private static final String TEST_KEY = "t1:dGVzdC1vbmx5LWVuY3J5cHRpb24ta2V5LTMyLWJ5dGU=";
    private static final String ROTATED_KEY = "k2:cm90YXRlZC10ZXN0LWtleS0zMi1ieXRlcy1sb25nISE=";

    private static Shop shop;
    private static String customer;
    private static String admin;
    private static WorkflowServiceStubs rawStubs;
    /** Sees Temporal as the Web UI or tctl does without the codec: the default converter, nothing decrypted. */
    private static WorkflowClient raw;

    private static final String RCON = "rcon-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    private static final String HOSTNAME = "Host " + UUID.randomUUID().toString().substring(0, 8);
    private static final String VERSION = "mc-" + UUID.randomUUID().toString().substring(0, 8);
    private static String tkcoinsOrder;
    private static String cardOrder;
    private static String clientSecret;

    @BeforeAll
    static void placeOneOrderOfEachKind() {
        shop = Shop.open(Map.of("orchestrator.orders.card-payment-deadline", "60s"));
        customer = shop.login(Shop.DEMO);
        admin = shop.login(Shop.ADMIN);
        rawStubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(TestStack.get().temporalTarget()).build());
        raw = WorkflowClient.newInstance(rawStubs, WorkflowClientOptions.newBuilder().setNamespace("default").build());

        tkcoinsOrder = Sagas.place(shop, customer, Sagas.body("rust-standard", "tkcoins",
                Map.of("RCON_PASS", RCON, "HOSTNAME", HOSTNAME)));
        cardOrder = Sagas.place(shop, customer, Sagas.body("paper-2g", "card", Map.of("MINECRAFT_VERSION", VERSION)));
        Map<String, Object> payment = Sagas.payment(Sagas.awaitCustomer(shop, customer, cardOrder));
        clientSecret = (String) payment.get("clientSecret");
        assertTrue(clientSecret != null && clientSecret.contains("_secret_"), String.valueOf(payment));
        Sagas.Answer ack = Sagas.deliver(shop, TestStack.stripe().succeed((String) payment.get("providerPaymentId")));
        assertEquals(200, ack.status(), ack.body());
        for (String order : List.of(tkcoinsOrder, cardOrder)) {
            Map<String, Object> done = shop.awaitOrder(customer, order, Shop::terminal, Duration.ofSeconds(90));
            assertEquals("ACTIVE", done.get("status"), () -> String.valueOf(done));
        }
    }

    @AfterAll
    static void close() {
        if (rawStubs != null) {
            rawStubs.shutdownNow();
        }
        shop.close();
    }

    @Test
    void rawHistoriesHoldNoEmailNoGameSettingAndNoClientSecret() throws Exception {
        List<String> secrets = List.of(Shop.DEMO, RCON, HOSTNAME, VERSION, clientSecret);
        List<String> leaks = new ArrayList<>();
        int histories = 0;
        for (String workflowId : workflowIdsOfBothOrders()) {
            History history = raw.fetchHistory(workflowId).getHistory();
            assertTrue(history.getEventsCount() > 3, workflowId);
            String bytes = new String(history.toByteArray(), StandardCharsets.ISO_8859_1);
            String json = JsonFormat.printer().print(history);
            for (String secret : secrets) {
                if (bytes.contains(secret) || json.contains(secret)) {
                    leaks.add(secret + " in " + workflowId);
                }
            }
            histories++;
        }
        assertEquals(6, histories, "two orders, their payments and their servers");
        assertTrue(leaks.isEmpty(), "readable without the codec: " + leaks);

        // It is not that the values never went through Temporal: with the codec the workflow got them all.
        OrderRequest got = startInput(tkcoinsOrder);
        assertEquals(Shop.DEMO, got.customer().email());
        assertEquals(RCON, got.eggVariables().get("RCON_PASS"));
        assertEquals(VERSION, startInput(cardOrder).eggVariables().get("MINECRAFT_VERSION"));
    }

    @Test
    void searchAttributesHoldIdsOnly() {
        for (String workflowId : workflowIdsOfBothOrders()) {
            History history = raw.fetchHistory(workflowId).getHistory();
            StringBuilder attributes = new StringBuilder();
            for (HistoryEvent event : history.getEventsList()) {
                if (event.hasWorkflowExecutionStartedEventAttributes()) {
                    attributes.append(event.getWorkflowExecutionStartedEventAttributes().getSearchAttributes());
                }
                if (event.hasUpsertWorkflowSearchAttributesEventAttributes()) {
                    attributes.append(event.getUpsertWorkflowSearchAttributesEventAttributes().getSearchAttributes());
                }
            }
            // Search attributes are indexed by Temporal and stay plain; nothing there may be personal.
            assertTrue(attributes.length() > 0, workflowId);
            assertFalse(attributes.toString().contains("@"), workflowId + ": " + attributes);
            assertFalse(attributes.toString().contains(RCON), workflowId + ": " + attributes);
        }
    }

    @Test
    void theCodecEndpointDecodesForAnAdminOnly() throws Exception {
        Payload encrypted = startPayload(tkcoinsOrder);
        assertEquals("binary/encrypted", encrypted.getMetadataOrThrow("encoding").toStringUtf8());
        assertEquals("t1", encrypted.getMetadataOrThrow("encryption-key-id").toStringUtf8());
        String body = codecBody(encrypted);

        HttpResponse<Map<String, Object>> decoded = shop.app().exchange(post(CODEC + "/decode", body).bearerAuth(admin));
        assertEquals(200, decoded.code(), () -> String.valueOf(decoded.getBody().orElse(null)));
        Payload plain = onlyPayload(decoded);
        assertEquals("json/plain", plain.getMetadataOrThrow("encoding").toStringUtf8());
        String plainJson = plain.getData().toStringUtf8();
        assertTrue(plainJson.contains(Shop.DEMO) && plainJson.contains(RCON), plainJson);
        assertEquals(startInput(tkcoinsOrder), DefaultDataConverter.STANDARD_INSTANCE.fromPayload(plain,
                OrderRequest.class, OrderRequest.class), "the operator sees exactly what the workflow got");

        HttpResponse<Map<String, Object>> asClient = shop.app().exchange(post(CODEC + "/decode", body).bearerAuth(customer));
        assertEquals(403, asClient.code());
        assertNotNull(TestApp.error(asClient).get("code"));
        HttpResponse<Map<String, Object>> anonymous = shop.app().exchange(post(CODEC + "/decode", body));
        assertEquals(401, anonymous.code());
        assertNotNull(TestApp.error(anonymous).get("code"));
        for (String path : List.of("/decode", "/encode")) {
            assertEquals(403, shop.app().exchange(post(CODEC + path, body).bearerAuth(customer)).code(), path);
            assertEquals(401, shop.app().exchange(post(CODEC + path, body)).code(), path);
        }

        // What the UI encodes (a signal typed by an operator) goes to Temporal encrypted, and decodes back.
        HttpResponse<Map<String, Object>> encoded = shop.app().exchange(post(CODEC + "/encode", codecBody(plain)).bearerAuth(admin));
        assertEquals(200, encoded.code(), () -> String.valueOf(encoded.getBody().orElse(null)));
        Payload reencrypted = onlyPayload(encoded);
        assertEquals("t1", reencrypted.getMetadataOrThrow("encryption-key-id").toStringUtf8());
        assertFalse(reencrypted.getData().toStringUtf8().contains(RCON));

        HttpResponse<Map<String, Object>> garbage = shop.app().exchange(post(CODEC + "/decode",
                "{\"payloads\":[{\"metadata\":{\"encoding\":\"YmluYXJ5L2VuY3J5cHRlZA==\",\"encryption-key-id\":\"dDE=\"},"
                        + "\"data\":\"AAAA\"}]}").bearerAuth(admin));
        assertEquals(422, garbage.code());
        assertEquals("PAYLOAD_UNDECODABLE", TestApp.error(garbage).get("code"));
        HttpResponse<Map<String, Object>> notBase64 = shop.app().exchange(post(CODEC + "/decode",
                "{\"payloads\":[{\"data\":\"not base64!\"}]}").bearerAuth(admin));
        assertEquals(400, notBase64.code());
    }

    @Test
    void theTemporalWebUiOriginMayCallTheCodecAndNoOtherOrigin() {
        String ui = shop.app().context().getProperty("temporal.ui-url", String.class).orElseThrow();
        HttpResponse<Map<String, Object>> preflight = shop.app().exchange(HttpRequest.OPTIONS(CODEC + "/decode")
                .header("Origin", ui).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type,x-namespace"));
        assertEquals(200, preflight.code());
        assertEquals(ui, preflight.getHeaders().get("Access-Control-Allow-Origin"));
        String allowed = String.join(",", preflight.getHeaders().getAll("Access-Control-Allow-Headers")).toLowerCase();
        assertTrue(allowed.contains("x-namespace") && allowed.contains("authorization"), allowed);

        HttpResponse<Map<String, Object>> foreign = shop.app().exchange(HttpRequest.OPTIONS(CODEC + "/decode")
                .header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST"));
        assertNull(foreign.getHeaders().get("Access-Control-Allow-Origin"));
        // The Web UI's origin is trusted for the codec only, not for the rest of the API.
        HttpResponse<Map<String, Object>> elsewhere = shop.app().exchange(HttpRequest.OPTIONS("/api/v1/orders")
                .header("Origin", ui).header("Access-Control-Request-Method", "POST"));
        assertNull(elsewhere.getHeaders().get("Access-Control-Allow-Origin"));
    }

    @Test
    void payloadsWrittenUnderTheOldKeyStillDecodeAfterANewKeyBecomesActive() throws Exception {
        Payload underT1 = startPayload(tkcoinsOrder);
        Map<String, Object> rotated = new HashMap<>();
        rotated.put("orchestrator.security.encryption.keys", TEST_KEY + "," + ROTATED_KEY);
        rotated.put("orchestrator.security.encryption.active-key", "k2");
        rotated.put("orchestrator.security.rate-limit.enabled", false);
        // The same store: the admin's session is checked there.
        rotated.put("mongodb.uri", shop.app().context().getProperty("mongodb.uri", String.class).orElseThrow());
        try (TestApp api = TestApp.start("api", rotated)) {
            HttpResponse<Map<String, Object>> decoded = api.exchange(post(CODEC + "/decode", codecBody(underT1)).bearerAuth(admin));
            assertEquals(200, decoded.code(), () -> String.valueOf(decoded.getBody().orElse(null)));
            Payload plain = onlyPayload(decoded);
            assertEquals(startInput(tkcoinsOrder), DefaultDataConverter.STANDARD_INSTANCE.fromPayload(plain,
                    OrderRequest.class, OrderRequest.class));

            HttpResponse<Map<String, Object>> encoded = api.exchange(post(CODEC + "/encode", codecBody(plain)).bearerAuth(admin));
            Payload underK2 = onlyPayload(encoded);
            assertEquals("k2", underK2.getMetadataOrThrow("encryption-key-id").toStringUtf8());
            // A process that does not have k2 yet cannot read it: roll the key list out before switching the active key.
            assertEquals(422, shop.app().exchange(post(CODEC + "/decode", codecBody(underK2)).bearerAuth(admin)).code());
        }
    }

    @Test
    void aSecretGameSettingIsEncryptedInMongoAndNeverAnswered() {
        Document stored = shop.app().bean(Database.class).collection("orders").find(new Document("_id", tkcoinsOrder)).first();
        assertNotNull(stored);
        assertFalse(stored.toJson().contains(RCON), stored.toJson());
        Document clear = stored.get("eggVariables", Document.class);
        Document sealed = stored.get("secretEggVariables", Document.class);
        assertEquals(HOSTNAME, clear.getString("HOSTNAME"), "settings that are not secret stay readable");
        assertFalse(clear.containsKey("RCON_PASS"));
        assertTrue(sealed.getString("RCON_PASS").startsWith("enc:v1:t1:"), sealed.toJson());
        // The service itself reads it back (an operator's retry starts the saga with the same settings).
        assertEquals(RCON, shop.app().bean(OrderStore.class).find(tkcoinsOrder).orElseThrow().eggVariables().get("RCON_PASS"));

        for (String token : List.of(customer, admin)) {
            HttpResponse<String> order = shop.app().http().exchange(HttpRequest.GET("/api/v1/orders/" + tkcoinsOrder)
                    .bearerAuth(token), String.class);
            assertFalse(order.body().contains(RCON), order.body());
            HttpResponse<String> list = shop.app().http().exchange(HttpRequest.GET("/api/v1/orders").bearerAuth(token), String.class);
            assertFalse(list.body().contains(RCON), list.body());
        }
    }

    private static List<String> workflowIdsOfBothOrders() {
        List<String> ids = new ArrayList<>();
        for (String order : List.of(tkcoinsOrder, cardOrder)) {
            ids.add(OrderIds.workflowId(order));
            ids.add(PaymentIds.workflowId(PaymentIds.forOrder(order, 1)));
            String serverId = (String) shop.order(customer, order).get("serverId");
            assertNotNull(serverId, order);
            ids.add(ServerLifecycleWorkflow.workflowId(serverId));
        }
        return ids;
    }

    private static Payload startPayload(String orderId) {
        for (HistoryEvent event : raw.fetchHistory(OrderIds.workflowId(orderId)).getHistory().getEventsList()) {
            if (event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED) {
                return event.getWorkflowExecutionStartedEventAttributes().getInput().getPayloads(0);
            }
        }
        throw new AssertionError("no start event for " + orderId);
    }

    /** The order workflow's input as the workflow read it, through the app's own converter. */
    private static OrderRequest startInput(String orderId) {
        DataConverter converter = shop.app().bean(WorkflowClient.class).getOptions().getDataConverter();
        return converter.fromPayload(startPayload(orderId), OrderRequest.class, OrderRequest.class);
    }

    private static String codecBody(Payload payload) throws InvalidProtocolBufferException {
        return "{\"payloads\":[" + JsonFormat.printer().omittingInsignificantWhitespace().print(payload) + "]}";
    }

    @SuppressWarnings("unchecked")
    private static Payload onlyPayload(HttpResponse<Map<String, Object>> response) throws Exception {
        List<Object> payloads = (List<Object>) response.getBody().orElseThrow().get("payloads");
        assertEquals(1, payloads.size());
        String json = shop.app().bean(io.micronaut.json.JsonMapper.class).writeValueAsString(payloads.get(0));
        Payload.Builder payload = Payload.newBuilder();
        JsonFormat.parser().merge(json, payload);
        return payload.build();
    }

    private static MutableHttpRequest<String> post(String path, String body) {
        return HttpRequest.POST(path, body).contentType(MediaType.APPLICATION_JSON_TYPE).header("X-Namespace", "default");
    }
}
