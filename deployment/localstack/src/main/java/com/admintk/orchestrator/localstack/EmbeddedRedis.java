package com.admintk.orchestrator.localstack;

import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real redis-server 7 (embedded-redis) on loopback. With a data directory it keeps an append-only file (the local
 * stack); without one it persists nothing (tests). Stop and start again on the same port to simulate an outage.
 */
public final class EmbeddedRedis implements AutoCloseable {

    private int port;
    private final Path dataDir;
    private RedisServer server;

    private EmbeddedRedis(int port, Path dataDir) {
        this.port = port;
        this.dataDir = dataDir;
    }

    /** Not started yet: on {@code port} (0 = a free one), persisting under {@code dataDir} when it is not null. */
    public static EmbeddedRedis on(int port, Path dataDir) {
        return new EmbeddedRedis(port, dataDir);
    }

    /** Started at once. */
    public static EmbeddedRedis start(int port, Path dataDir) {
        EmbeddedRedis redis = on(port, dataDir);
        redis.start();
        return redis;
    }

    /** On a free port, persisting nothing. */
    public static EmbeddedRedis forTests() {
        return start(0, null);
    }

    public synchronized void start() {
        if (server != null) {
            return;
        }
        if (dataDir != null) {
            try {
                Files.createDirectories(dataDir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (port == 0) {
            // redis-server cannot report a port it chose; restarts after an outage need the same one: a drawn port.
            port = FreePorts.bind(drawn -> {
                RedisServer started = server(drawn);
                started.start();
                server = started;
                return drawn;
            });
        } else {
            RedisServer started = server(port);
            started.start();
            server = started;
        }
    }

    private RedisServer server(int onPort) {
        var builder = RedisServer.builder().bind("127.0.0.1").port(onPort);
        if (dataDir == null) {
            builder.setting("save \"\"").setting("appendonly no");
        } else {
            builder.setting("dir " + dataDir.toAbsolutePath()).setting("appendonly yes");
        }
        return builder.build();
    }

    public synchronized void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    /** The port, once started (fixed by the first start). */
    public int port() {
        if (port == 0) {
            throw new IllegalStateException("not started yet: no port drawn");
        }
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        stop();
    }
}
