package com.admintk.orchestrator.localstack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's walk through the API, as written: {@code deployment/localstack/walkthrough.sh} (whose commands the
 * README quotes, see {@link WalkthroughDocumentTest}) against the packaged local stack started as
 * {@code ./run-local.sh} starts it. The demo customer's paper-2g order must reach ACTIVE with its server on the
 * simulator.
 */
class WalkthroughIT {

    @Test
    void theReadmeWalkthroughTakesAnOrderToActiveOnTheLocalStack(@TempDir Path data) throws Exception {
        PackagedLocalStack stack = PackagedLocalStack.start(data, "walkthrough-it");
        try {
            Path script = Path.of("..").toAbsolutePath().normalize().resolve(WalkthroughDocumentTest.SCRIPT);
            ProcessBuilder builder = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
            builder.environment().put("API_BASE", stack.apiBase());
            builder.environment().put("PANEL_BASE", stack.panelBase());
            Process walk = builder.start();
            assertTrue(walk.waitFor(5, TimeUnit.MINUTES), "the walkthrough ends");
            String out = new String(walk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, walk.exitValue(), out);

            assertTrue(out.contains("\"id\":\"paper-2g\"") && out.contains("\"id\":\"rust-standard\""), "plans listed: " + out);
            assertTrue(out.contains("\"limits\":{\"memory\":2048"), "plans carry their limits: " + out);
            assertTrue(out.contains("\"balance\":10000"), "the demo wallet before the checkout: " + out);
            Matcher accepted = Pattern.compile("\\{\"orderId\":\"(ord_[^\"]+)\".* HTTP 202").matcher(out);
            assertTrue(accepted.find(), "checkout answered 202 with an order id: " + out);
            String orderId = accepted.group(1);
            assertTrue(out.contains("order " + orderId + ": ACTIVE"), "the order reached ACTIVE: " + out);

            // The simulator holds the order's server, installed, independently of what the script printed.
            HttpResponse<String> servers = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(stack.panelBase() + "/_sim/servers")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, servers.statusCode());
            assertTrue(servers.body().contains("\"external_id\":\"order:" + orderId + "\""), servers.body());
        } finally {
            assertTrue(stack.stop(Duration.ofSeconds(90)), "stops on SIGTERM");
        }
    }
}
