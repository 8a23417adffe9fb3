package com.admintk.orchestrator.security;

import com.admintk.orchestrator.identity.IdentityFixtures;
import com.admintk.orchestrator.testing.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A JSON body that arrives after its headers (a second TCP segment, as curl, Stripe or any slow client may send it)
 * passes the body guard like one that arrives with them. It used to answer 500 (a null filter context in the chain
 * once the guard's buffered copy completed later).
 */
class SlowBodyTest {

    private static TestApp app;

    @BeforeAll
    static void start() {
        app = IdentityFixtures.start(Map.of("orchestrator.security.rate-limit.enabled", false));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void aBodyArrivingAfterItsHeadersIsHandledLikeAnyOther() throws Exception {
        String body = "{\"email\":\"" + IdentityFixtures.class.getSimpleName().toLowerCase() + "@nowhere.test\","
                + "\"password\":\"wrong-password\"}";
        for (int i = 0; i < 5; i++) {
            String answer = post("/api/v1/auth/login", body);
            assertTrue(answer.startsWith("HTTP/1.1 401"), answer);
        }
        String rejected = post("/api/v1/auth/login", "{\"email\":\"a@b.test\",\"password\":\"x\",\"$where\":1}");
        assertTrue(rejected.startsWith("HTTP/1.1 400") && rejected.contains("FORBIDDEN_KEY"), rejected);
    }

    private static String post(String path, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket(app.url().getHost(), app.url().getPort())) {
            socket.setSoTimeout(10_000);
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(300);
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            in.transferTo(response);
            return response.toString(StandardCharsets.UTF_8);
        }
    }
}
