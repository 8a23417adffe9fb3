package com.admintk.orchestrator.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Port numbers for tests, for the components that cannot bind port 0 and report the port back (a child JVM, the
 * packaged launcher, the Temporal test server, redis-server) or that must come back on the same port after a
 * simulated outage (MongoDB, Redis). Everything else binds 0 itself.
 * <p>
 * A number is drawn at random from BELOW the kernel's ephemeral range ({@code /proc/sys/net/ipv4/ip_local_port_range}):
 * the kernel also gives ports of that range to outgoing connections, so a number taken there (the old
 * "bind 0, close, hand the number on") can be grabbed by any {@code connect()} before the server binds it:
 * "Port *:32797 already in use". Each draw is bind-checked, and {@link #bind} draws again when another process wins
 * the race anyway. Every number handed out in this JVM is recorded ({@link #handedOut()}) so a test can prove none
 * fell inside the ephemeral range.
 */
public final class FreePorts {

    static final Path EPHEMERAL_RANGE_FILE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    /** Where the kernel does not say (macOS, Windows), the IANA dynamic range is the ephemeral one. */
    static final Range DEFAULT_EPHEMERAL = new Range(49152, 65535);
    /** Draws stay at or above this: lower ports are well-known or registered services a machine may run. */
    static final int FLOOR = 20000;
    /** Too few ports to draw from randomly without tripping over each other. */
    static final int MIN_POOL = 1000;
    /** The local stack's default ports: a test never takes them, even while the stack is down. */
    public static final Set<Integer> LOCAL_STACK_PORTS = Set.of(2525, 6379, 7233, 8080, 8081, 8082, 8233, 27017);

    private static final int DRAWS = 500;
    private static final int BIND_ATTEMPTS = 8;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    /** An inclusive port range. */
    public record Range(int low, int high) {
        public boolean contains(int port) {
            return port >= low && port <= high;
        }

        public int size() {
            return high - low + 1;
        }
    }

    /** Binds a server on {@code port}; throws when the port is taken. */
    @FunctionalInterface
    public interface Binder<T> {
        T bind(int port) throws Exception;
    }

    private FreePorts() {
    }

    /** A port no other socket is bound to right now, outside the ephemeral range, never handed out before here. */
    public static int next() {
        Range pool = pool(ephemeralRange());
        for (int i = 0; i < DRAWS; i++) {
            int port = pool.low() + ThreadLocalRandom.current().nextInt(pool.size());
            if (!LOCAL_STACK_PORTS.contains(port) && !HANDED_OUT.contains(port) && bindable(port) && HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port in " + pool + " after " + DRAWS + " draws");
    }

    /**
     * Binds on a drawn port, drawing again when the port was taken between the check and the bind (another process
     * drew it too). Any other failure is thrown as it is.
     */
    public static <T> T bind(Binder<T> binder) {
        RuntimeException lost = null;
        for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
            int port = next();
            try {
                return binder.bind(port);
            } catch (Exception e) {
                if (!lostRace(e)) {
                    throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
                }
                lost = new IllegalStateException("port " + port + " was taken before it could be bound", e);
            }
        }
        throw lost;
    }

    /**
     * A port that refuses connections while it is held: a socket bound (port 0, the kernel's choice) but never
     * listening. Nobody else can take the port meanwhile, so "nothing answers there" stays true for the whole test.
     */
    public static RefusingPort refusingPort() {
        Socket socket = new Socket();
        try {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return new RefusingPort(socket);
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing was bound
            }
            throw new UncheckedIOException(e);
        }
    }

    /** See {@link #refusingPort()}. */
    public static final class RefusingPort implements AutoCloseable {
        private final Socket socket;

        private RefusingPort(Socket socket) {
            this.socket = socket;
        }

        public int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a socket that never connected
            }
        }
    }

    /** Every port {@link #next()} has handed out in this JVM. */
    public static Set<Integer> handedOut() {
        return Set.copyOf(HANDED_OUT);
    }

    /** The kernel's ephemeral range, or the IANA dynamic range where the kernel does not say. */
    public static Range ephemeralRange() {
        return ephemeralRange(EPHEMERAL_RANGE_FILE);
    }

    static Range ephemeralRange(Path file) {
        try {
            // readAllLines, not readString: /proc files report size 0 and readString returns only their first byte.
            String[] bounds = String.join(" ", Files.readAllLines(file)).trim().split("\\s+");
            if (bounds.length == 2) {
                int low = Integer.parseInt(bounds[0]);
                int high = Integer.parseInt(bounds[1]);
                if (low >= 1 && low <= high && high <= 65535) {
                    return new Range(low, high);
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // not Linux, or no /proc: fall back
        }
        return DEFAULT_EPHEMERAL;
    }

    /** Where test ports are drawn from: below the ephemeral range, or above it when there is no room below. */
    static Range pool(Range ephemeral) {
        Range below = new Range(Math.max(1024, Math.min(FLOOR, ephemeral.low() - MIN_POOL)), ephemeral.low() - 1);
        if (below.size() >= MIN_POOL) {
            return below;
        }
        Range above = new Range(ephemeral.high() + 1, 65535);
        if (above.size() >= MIN_POOL) {
            return above;
        }
        throw new IllegalStateException("the ephemeral port range " + ephemeral + " leaves no room for test ports");
    }

    static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // No SO_REUSEADDR: a port still in TIME_WAIT from an earlier test counts as taken.
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    static boolean lostRace(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof BindException || saysPortTaken(t.getMessage())) {
                return true;
            }
        }
        return false;
    }

    /** Whether a failure message or a process's output says a port was taken ("Address already in use"). */
    public static boolean saysPortTaken(String text) {
        String lower = String.valueOf(text).toLowerCase(Locale.ROOT);
        return lower.contains("already in use") || lower.contains("address in use");
    }
}
