package com.admintk.orchestrator.testing;

import com.admintk.orchestrator.localstack.EmbeddedStack;
import com.admintk.orchestrator.localstack.FreePorts;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No port this JVM hands to another component or process lies in the kernel's ephemeral range (where outgoing
 * connections take ports at random). The shared stack and a child app JVM are started for real, so their ports go
 * through the port source; then every port it handed out in this JVM, by these and by any test that ran before in
 * the same fork, is checked. Servers that bind port 0 themselves (the test app, GreenMail, the panel simulator)
 * hand on nothing and are not in the record.
 */
class TestPortsTest {

    @Test
    void everyPortHandedOnInThisJvmIsOutsideTheEphemeralRange() throws Exception {
        EmbeddedStack stack = TestStack.get();
        int childPort;
        Map<String, String> env = TestStack.appEnvironment("worker", "ports" + System.nanoTime());
        try (AppProcess worker = AppProcess.start("ports-worker", env)) {
            worker.awaitReady(Duration.ofSeconds(90));
            childPort = Integer.parseInt(worker.baseUrl().substring(worker.baseUrl().lastIndexOf(':') + 1));
        }

        Set<Integer> handedOut = new TreeSet<>(FreePorts.handedOut());
        for (int port : new int[]{stack.temporalPort(), stack.mongoPort(), stack.redisPort(), childPort}) {
            assertTrue(handedOut.contains(port), port + " was handed on without going through FreePorts: " + handedOut);
        }
        FreePorts.Range ephemeral = FreePorts.ephemeralRange();
        Set<Integer> inside = new TreeSet<>();
        handedOut.stream().filter(ephemeral::contains).forEach(inside::add);
        assertEquals(Set.of(), inside, "ports handed out inside the ephemeral range " + ephemeral);
        for (int port : new int[]{stack.temporalPort(), stack.mongoPort(), stack.redisPort()}) {
            assertTrue(listening(port), "the stack really listens on " + port);
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
