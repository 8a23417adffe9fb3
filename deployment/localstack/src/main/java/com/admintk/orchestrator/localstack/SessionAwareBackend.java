package com.admintk.orchestrator.localstack;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import de.bwaldvogel.mongo.wire.message.MongoQuery;
import io.netty.channel.Channel;

import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * Makes mongo-java-server look like a standalone mongod that supports sessions.
 *
 * <p>The Java driver only attaches sessions (which Micronaut Data requires) when {@code hello} reports
 * {@code logicalSessionTimeoutMinutes}; mongo-java-server does not, so this wrapper adds it and answers the
 * session commands. Transactions fail loudly with the error a standalone mongod gives, so code that relies on
 * multi-document transactions breaks here exactly as it would in production against a standalone server.
 */
public final class SessionAwareBackend implements MongoBackend {

    static final int SESSION_TIMEOUT_MINUTES = 30;
    private static final Set<String> HELLO = Set.of("hello", "ismaster");
    private static final Set<String> SESSION_COMMANDS =
            Set.of("endsessions", "refreshsessions", "killsessions", "killallsessions", "killallsessionsbypattern");
    private static final Set<String> TRANSACTION_COMMANDS = Set.of("committransaction", "aborttransaction");

    private final MongoBackend delegate;

    public SessionAwareBackend(MongoBackend delegate) {
        this.delegate = delegate;
    }

    public MongoBackend delegate() {
        return delegate;
    }

    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
        Document answer = intercept(command, query);
        if (answer != null) {
            return answer;
        }
        return decorate(command, delegate.handleCommand(channel, database, command, query));
    }

    @Override
    public Document handleMessage(MongoMessage message) {
        Document body = message.getDocument();
        String command = body.keySet().iterator().next();
        Document answer = intercept(command, body);
        if (answer != null) {
            return answer;
        }
        return decorate(command, delegate.handleMessage(message));
    }

    private static Document intercept(String command, Document body) {
        String name = command.toLowerCase(Locale.ROOT);
        if (TRANSACTION_COMMANDS.contains(name) || Boolean.TRUE.equals(body.get("startTransaction"))
                || Boolean.FALSE.equals(body.get("autocommit"))) {
            throw new MongoServerError(20, "IllegalOperation",
                    "Transaction numbers are only allowed on a replica set member or mongos");
        }
        if (name.equals("startsession")) {
            Document id = new Document("id", UUID.randomUUID());
            return new Document("id", id).append("timeoutMinutes", SESSION_TIMEOUT_MINUTES).append("ok", 1.0);
        }
        if (SESSION_COMMANDS.contains(name)) {
            return new Document("ok", 1.0);
        }
        return null;
    }

    private static Document decorate(String command, Document answer) {
        if (answer != null && HELLO.contains(command.toLowerCase(Locale.ROOT))) {
            answer.put("logicalSessionTimeoutMinutes", SESSION_TIMEOUT_MINUTES);
        }
        return answer;
    }

    @Override
    public void handleClose(Channel channel) {
        delegate.handleClose(channel);
    }

    @Override
    public QueryResult handleQuery(MongoQuery query) {
        return delegate.handleQuery(query);
    }

    @Override
    public void dropDatabase(String database) {
        delegate.dropDatabase(database);
    }

    @Override
    public Collection<Document> getCurrentOperations(MongoQuery query) {
        return delegate.getCurrentOperations(query);
    }

    @Override
    public Document getServerStatus() {
        return delegate.getServerStatus();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public void closeCursors(List<Long> cursorIds) {
        delegate.closeCursors(cursorIds);
    }

    @Override
    public Clock getClock() {
        return delegate.getClock();
    }

    @Override
    public void enableOplog() {
        delegate.enableOplog();
    }

    @Override
    public void disableOplog() {
        delegate.disableOplog();
    }

    @Override
    public MongoDatabase resolveDatabase(String database) {
        return delegate.resolveDatabase(database);
    }

    @Override
    public MongoBackend version(MongoVersion version) {
        delegate.version(version);
        return this;
    }
}
