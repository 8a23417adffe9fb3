package com.admintk.orchestrator.localstack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Test ports never come from the kernel's ephemeral range, where any outgoing connection may take them between
 * the draw and the bind.
 */
class FreePortsTest {

    private static final int DRAWS = 2000;

    @Test
    void noDrawnPortFallsInsideTheKernelsEphemeralRangeOrOnALocalStackPort() throws IOException {
        FreePorts.Range ephemeral = kernelRange();
        Set<Integer> drawn = new HashSet<>();
        for (int i = 0; i < DRAWS; i++) {
            int port = FreePorts.next();
            assertFalse(ephemeral.contains(port), port + " is inside the ephemeral range " + ephemeral);
            assertFalse(FreePorts.LOCAL_STACK_PORTS.contains(port), port + " is a local stack port");
            assertTrue(port >= 1024 && port <= 65535, "unprivileged: " + port);
            assertTrue(drawn.add(port), "handed out twice: " + port);
        }
        // Random, not a counter from a fixed start: many JVMs draw at once.
        int spread = drawn.stream().mapToInt(Integer::intValue).max().orElseThrow()
                - drawn.stream().mapToInt(Integer::intValue).min().orElseThrow();
        assertTrue(spread > DRAWS * 2, "draws spread over the pool: " + spread);
        assertTrue(FreePorts.handedOut().containsAll(drawn), "every port handed out is recorded");
    }

    @Test
    void onLinuxTheRangeIsTheKernelsOwn() throws IOException {
        assertEquals(kernelRange(), FreePorts.ephemeralRange());
    }

    /** Read here on its own, so a parsing slip in FreePorts cannot hide behind its own answer. */
    private static FreePorts.Range kernelRange() throws IOException {
        Path file = FreePorts.EPHEMERAL_RANGE_FILE;
        if (!Files.isReadable(file)) {
            return FreePorts.DEFAULT_EPHEMERAL;
        }
        String[] bounds = Files.readAllLines(file).get(0).trim().split("\\s+");
        return new FreePorts.Range(Integer.parseInt(bounds[0]), Integer.parseInt(bounds[1]));
    }

    @Test
    void anUnreadableRangeFallsBackToTheIanaDynamicRange(@TempDir Path dir) throws IOException {
        assertEquals(FreePorts.DEFAULT_EPHEMERAL, FreePorts.ephemeralRange(dir.resolve("absent")));
        Path garbage = Files.writeString(dir.resolve("garbage"), "not a range\n");
        assertEquals(FreePorts.DEFAULT_EPHEMERAL, FreePorts.ephemeralRange(garbage));
        Path reversed = Files.writeString(dir.resolve("reversed"), "60999\t32768\n");
        assertEquals(FreePorts.DEFAULT_EPHEMERAL, FreePorts.ephemeralRange(reversed));
        Path tabbed = Files.writeString(dir.resolve("tabbed"), "32768\t60999\n");
        assertEquals(new FreePorts.Range(32768, 60999), FreePorts.ephemeralRange(tabbed));
    }

    @Test
    void thePoolSitsBelowTheEphemeralRangeOrAboveItWhenThereIsNoRoomBelow() {
        assertEquals(new FreePorts.Range(20000, 32767), FreePorts.pool(new FreePorts.Range(32768, 60999)));
        assertEquals(new FreePorts.Range(20000, 49151), FreePorts.pool(FreePorts.DEFAULT_EPHEMERAL));
        assertEquals(new FreePorts.Range(9000, 9999), FreePorts.pool(new FreePorts.Range(10000, 60999)));
        assertEquals(new FreePorts.Range(40001, 65535), FreePorts.pool(new FreePorts.Range(1500, 40000)));
        assertThrows(IllegalStateException.class, () -> FreePorts.pool(new FreePorts.Range(1024, 65535)));
    }

    @Test
    void aDrawnPortIsFreeToBind() throws IOException {
        int port = FreePorts.next();
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(port));
            assertEquals(port, server.getLocalPort());
        }
    }

    @Test
    void aPortTakenByAnotherProcessIsNotHandedOut() throws IOException {
        FreePorts.Range pool = FreePorts.pool(FreePorts.ephemeralRange());
        List<ServerSocket> taken = new ArrayList<>();
        try {
            // Occupy a stretch of the pool; no draw may land on it.
            for (int port = pool.low(); port < pool.low() + 200; port++) {
                try {
                    ServerSocket socket = new ServerSocket();
                    socket.bind(new InetSocketAddress(port));
                    taken.add(socket);
                } catch (IOException alreadyTaken) {
                    // someone else's: taken all the same
                }
            }
            assertFalse(FreePorts.bindable(taken.get(0).getLocalPort()));
            for (int i = 0; i < 500; i++) {
                int port = FreePorts.next();
                assertTrue(taken.stream().noneMatch(s -> s.getLocalPort() == port), "handed out a bound port: " + port);
            }
        } finally {
            for (ServerSocket socket : taken) {
                socket.close();
            }
        }
    }

    @Test
    void aLostRaceIsRetriedOnAnotherPortAndOtherFailuresAreNot() {
        List<Integer> tried = new ArrayList<>();
        int bound = FreePorts.bind(port -> {
            tried.add(port);
            if (tried.size() < 3) {
                throw new IllegalStateException("start failed", new BindException("Address already in use"));
            }
            return port;
        });
        assertEquals(3, tried.size());
        assertEquals(tried.get(2), bound);
        assertNotEquals(tried.get(0), tried.get(1));

        IllegalArgumentException other = new IllegalArgumentException("bad configuration");
        List<Integer> once = new ArrayList<>();
        assertSame(other, assertThrows(IllegalArgumentException.class, () -> FreePorts.bind(port -> {
            once.add(port);
            throw other;
        })));
        assertEquals(1, once.size());
        assertTrue(FreePorts.saysPortTaken("Unable to start server. Port 20123 already in use."));
        assertTrue(FreePorts.saysPortTaken("bind: Address already in use"));
        assertFalse(FreePorts.saysPortTaken("Connection refused"));
    }

    @Test
    void aRefusingPortRefusesConnectionsWhileHeld() {
        try (FreePorts.RefusingPort down = FreePorts.refusingPort()) {
            assertThrows(ConnectException.class, () -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), down.port()), 2000);
                }
            });
            assertThrows(IOException.class, () -> {
                try (ServerSocket squatter = new ServerSocket()) {
                    squatter.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), down.port()));
                }
            }, "nobody else can take the port while it is held");
        }
    }
}
