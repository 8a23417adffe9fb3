package com.admintk.orchestrator.localstack;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.temporal.testserver.TestServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The infrastructure of the local stack, in one JVM: the Temporal Java test server on a TCP port,
 * mongo-java-server (H2 file or memory backend, with sessions), and a real embedded Redis 7.
 * The local stack uses the DESIGN.md ports; tests pass 0 everywhere and get ports from {@link FreePorts}.
 */
public final class EmbeddedStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStack.class);

    private final Settings settings;
    private int temporalPort;
    private int mongoPort;
    private TestServer.PortBoundTestServer temporal;
    private MongoServer mongo;
    private final EmbeddedRedis redis;

    /**
     * @param mongoFile    the H2 file for MongoDB data, or null for memory
     * @param redisDataDir where Redis keeps its append-only file, or null for no persistence
     */
    public record Settings(int temporalPort, int mongoPort, Path mongoFile, int redisPort, Path redisDataDir) {
        /** Everything on free ports, in memory: for tests. */
        public static Settings forTests() {
            return new Settings(0, 0, null, 0, null);
        }
    }

    private EmbeddedStack(Settings settings) {
        this.settings = settings;
        this.temporalPort = settings.temporalPort();
        this.mongoPort = settings.mongoPort();
        this.redis = EmbeddedRedis.on(settings.redisPort(), settings.redisDataDir());
    }

    public static EmbeddedStack start(Settings settings) {
        EmbeddedStack stack = new EmbeddedStack(settings);
        try {
            stack.startTemporal();
            stack.startMongo();
            stack.startRedis();
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    public void startTemporal() {
        // lockTimeSkipping=true: workflows see real time, as against a real server.
        // The test server cannot bind 0 and say which port it got: a drawn port, drawn again if it was taken.
        if (temporalPort == 0) {
            temporalPort = FreePorts.bind(port -> {
                temporal = TestServer.createPortBoundServer(port, true);
                return port;
            });
        } else {
            temporal = TestServer.createPortBoundServer(temporalPort, true);
        }
        LOG.info("Temporal test server on localhost:{}", temporalPort);
    }

    public void startMongo() {
        MongoBackend backend;
        if (settings.mongoFile() == null) {
            backend = new MemoryBackend();
        } else {
            createDirectories(settings.mongoFile().toAbsolutePath().getParent());
            backend = new H2Backend(settings.mongoFile().toString());
        }
        MongoServer server = new MongoServer(new SessionAwareBackend(backend));
        // Not port 0: after a simulated outage MongoDB comes back on the same port, and a port of the ephemeral
        // range may meanwhile belong to an outgoing connection. Fixed on the first start, kept for restarts.
        if (mongoPort == 0) {
            mongoPort = FreePorts.bind(port -> {
                server.bind("localhost", port);
                return port;
            });
        } else {
            server.bind("localhost", mongoPort);
        }
        mongo = server;
        LOG.info("MongoDB (mongo-java-server, {}) on localhost:{}",
                settings.mongoFile() == null ? "memory" : settings.mongoFile(), mongoPort);
    }

    public void stopMongo() {
        if (mongo != null) {
            mongo.shutdownNow();
            mongo = null;
        }
    }

    public void startRedis() {
        redis.start();
        LOG.info("Redis on localhost:{}", redis.port());
    }

    public void stopRedis() {
        redis.stop();
    }

    public int temporalPort() {
        return temporalPort;
    }

    public String temporalTarget() {
        return "localhost:" + temporalPort;
    }

    public int mongoPort() {
        return mongoPort;
    }

    public String mongoUri(String database) {
        return "mongodb://localhost:" + mongoPort + "/" + database;
    }

    public int redisPort() {
        return redis.port();
    }

    public String redisUri() {
        return "redis://localhost:" + redis.port();
    }

    /** Stops everything; MongoDB last so its H2 file is committed after every writer is gone. */
    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        run(failures, this::stopRedis);
        run(failures, () -> {
            if (temporal != null) {
                temporal.close();
                temporal = null;
            }
        });
        run(failures, () -> {
            if (mongo != null) {
                mongo.shutdown();
                mongo = null;
            }
        });
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }

    private static void run(List<RuntimeException> failures, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
