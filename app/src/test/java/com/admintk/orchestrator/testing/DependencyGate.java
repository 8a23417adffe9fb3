package com.admintk.orchestrator.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A dependency's network path that a test can cut: a TCP relay on a loopback port it bound itself (port 0) to the
 * real server. {@link #shut()} resets every open connection and every new one, as a crashed or unreachable host
 * does, while the server behind it keeps its data; {@link #open()} lets connections through again. The app under
 * test is pointed at {@link #address()} instead of the server.
 */
public final class DependencyGate implements AutoCloseable {

    private final ServerSocket listener;
    private final String targetHost;
    private final int targetPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile boolean shut;

    private DependencyGate(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "gate-accept-" + targetPort);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static DependencyGate to(String host, int port) {
        try {
            return new DependencyGate(host, port);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code host:port} of the gate, to configure the app with. */
    public String address() {
        return listener.getInetAddress().getHostAddress() + ":" + listener.getLocalPort();
    }

    /** The dependency goes away: open connections are reset, new ones are reset as soon as they arrive. */
    public void shut() {
        shut = true;
        for (Socket socket : sockets) {
            reset(socket);
        }
    }

    /** The dependency is back. */
    public void open() {
        shut = false;
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            if (shut) {
                reset(client);
                continue;
            }
            Socket upstream = new Socket();
            try {
                upstream.connect(new InetSocketAddress(targetHost, targetPort), 5_000);
            } catch (IOException e) {
                reset(client);
                reset(upstream);
                continue;
            }
            sockets.add(client);
            sockets.add(upstream);
            pipe(client, upstream);
            pipe(upstream, client);
        }
    }

    private void pipe(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                byte[] buffer = new byte[16 * 1024];
                for (int read; (read = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away: the other goes too, below
            } finally {
                reset(from);
                reset(to);
            }
        }, "gate-pipe");
        thread.setDaemon(true);
        thread.start();
    }

    /** Closes with RST rather than FIN: the peer sees "connection reset", like a host that went away. */
    private void reset(Socket socket) {
        sockets.remove(socket);
        try {
            if (!socket.isClosed()) {
                socket.setSoLinger(true, 0);
            }
        } catch (IOException e) {
            // closing anyway
        }
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        shut();
        try {
            listener.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
