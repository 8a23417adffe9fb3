package com.admintk.orchestrator.payment;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.net.InetSocketAddress;
import java.util.UUID;

/** mongo-java-server in memory on a free port, one database per test class. */
final class MongoForTests implements AutoCloseable {

    private final MongoServer server = new MongoServer(new MemoryBackend());
    private final MongoClient client;
    private final String uri;

    MongoForTests() {
        InetSocketAddress address = server.bind();
        uri = "mongodb://127.0.0.1:" + address.getPort() + "/t" + UUID.randomUUID().toString().replace("-", "");
        client = MongoClients.create(uri);
    }

    String uri() {
        return uri;
    }

    MongoClient client() {
        return client;
    }

    MongoDatabase database() {
        return client.getDatabase(new com.mongodb.ConnectionString(uri).getDatabase());
    }

    @Override
    public void close() {
        client.close();
        server.shutdownNow();
    }
}
