package com.admintk.orchestrator.tryit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MalformedURLException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The load balancer in front of the API instances, as plain TCP: every accepted connection is piped to the backend
 * current at that moment, so switching the backend moves new connections only, and a backend that goes away takes
 * its connections with it.
 */
final class SwitchingProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();
    private volatile URL backend;

    private SwitchingProxy(URL backend) throws IOException {
        this.backend = backend;
        // Port 0: the listener binds it and says which port it got.
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static SwitchingProxy to(URL backend) throws IOException {
        return new SwitchingProxy(backend);
    }

    URL url() {
        try {
            return new URL("http", listener.getInetAddress().getHostAddress(), listener.getLocalPort(), "");
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    void switchTo(URL next) {
        backend = next;
    }

    /** How many connections went to {@code to}. */
    int connectionsTo(URL to) {
        AtomicInteger count = accepted.get(key(to));
        return count == null ? 0 : count.get();
    }

    // URL.equals resolves host names; the key compares them as written.
    private static String key(URL url) {
        return url.getHost() + ":" + url.getPort();
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            URL target = backend;
            accepted.computeIfAbsent(key(target), any -> new AtomicInteger()).incrementAndGet();
            sockets.add(client);
            Socket upstream = new Socket();
            sockets.add(upstream);
            try {
                upstream.connect(new InetSocketAddress(target.getHost(), target.getPort()), 5_000);
            } catch (IOException e) {
                closeBoth(client, upstream);
                continue;
            }
            pipe(client, upstream, "proxy-up");
            pipe(upstream, client, "proxy-down");
        }
    }

    private void pipe(Socket from, Socket to, String name) {
        Thread thread = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                byte[] buffer = new byte[16 * 1024];
                for (int read; (read = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away: the other side goes too, below
            } finally {
                closeBoth(from, to);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    private void closeBoth(Socket one, Socket other) {
        for (Socket socket : new Socket[] {one, other}) {
            sockets.remove(socket);
            try {
                socket.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
