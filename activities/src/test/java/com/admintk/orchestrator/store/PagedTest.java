package com.admintk.orchestrator.store;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A page and its total: the count query only when the page cannot show where the results end. */
class PagedTest {

    private static MongoServer server;
    private static MongoClient client;
    private static MongoCollection<Document> items;
    private static final List<String> commands = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        server = new MongoServer(new MemoryBackend());
        InetSocketAddress address = server.bind();
        client = MongoClients.create(com.mongodb.MongoClientSettings.builder()
                .applyConnectionString(new com.mongodb.ConnectionString("mongodb://127.0.0.1:" + address.getPort()))
                .addCommandListener(new CommandListener() {
                    @Override
                    public void commandStarted(CommandStartedEvent event) {
                        commands.add(event.getCommandName());
                    }
                }).build());
        items = client.getDatabase("paged").getCollection("items");
        List<Document> documents = new ArrayList<>();
        // 45 of owner "a" (numbered 0..44), 5 of owner "b".
        IntStream.range(0, 45).forEach(i -> documents.add(new Document("_id", String.format("a%02d", i)).append("owner", "a")
                .append("n", i)));
        IntStream.range(0, 5).forEach(i -> documents.add(new Document("_id", "b" + i).append("owner", "b").append("n", i)));
        items.insertMany(documents);
    }

    @AfterAll
    static void stop() {
        client.close();
        server.shutdownNow();
    }

    @BeforeEach
    void forget() {
        commands.clear();
    }

    private static Paged<Integer> page(String owner, int page, int size) {
        return Paged.read(items, Filters.eq("owner", owner), Sorts.ascending("n"), page, size, doc -> doc.getInteger("n"));
    }

    @Test
    void aFirstPageThatHoldsEverythingNeedsNoCount() {
        Paged<Integer> paged = page("b", 0, 20);

        assertEquals(List.of(0, 1, 2, 3, 4), paged.items());
        assertEquals(5, paged.total());
        assertEquals(List.of("find"), commands);
    }

    @Test
    void aFullPageWithMoreBehindItCountsThemAll() {
        Paged<Integer> paged = page("a", 1, 20);

        assertEquals(IntStream.range(20, 40).boxed().toList(), paged.items());
        assertEquals(45, paged.total());
        assertEquals(List.of("find", "aggregate"), commands);
    }

    @Test
    void theLastPageKnowsTheTotalFromItsOwnLength() {
        Paged<Integer> paged = page("a", 2, 20);

        assertEquals(IntStream.range(40, 45).boxed().toList(), paged.items());
        assertEquals(45, paged.total());
        assertEquals(List.of("find"), commands);
    }

    @Test
    void aPageExactlyFilledToTheEndNeedsNoCount() {
        Paged<Integer> paged = page("b", 0, 5);

        assertEquals(5, paged.items().size());
        assertEquals(5, paged.total());
        assertEquals(List.of("find"), commands);
    }

    @Test
    void aPageBeyondTheEndIsEmptyAndStillCountsTheTotal() {
        Paged<Integer> paged = page("a", 7, 20);

        assertEquals(List.of(), paged.items());
        assertEquals(45, paged.total());
        assertEquals(List.of("find", "aggregate"), commands);
    }

    @Test
    void nothingMatchingIsAnEmptyFirstPage() {
        Paged<Integer> paged = page("nobody", 0, 20);

        assertEquals(List.of(), paged.items());
        assertEquals(0, paged.total());
        assertEquals(List.of("find"), commands);
    }
}
