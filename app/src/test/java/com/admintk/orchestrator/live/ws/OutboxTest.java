package com.admintk.orchestrator.live.ws;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutboxTest {

    @Test
    void aClientThatStopsReadingIsDroppedAtTheLimitAndNothingMoreIsQueuedForIt() {
        List<CompletableFuture<Object>> writes = new ArrayList<>();
        AtomicInteger overflows = new AtomicInteger();
        Outbox outbox = new Outbox(8, message -> {
            CompletableFuture<Object> write = new CompletableFuture<>(); // never written: the client does not read
            writes.add(write);
            return write;
        }, overflows::incrementAndGet);

        for (int i = 0; i < 8; i++) {
            assertTrue(outbox.offer("stats " + i));
        }
        assertEquals(0, overflows.get(), "up to the limit, messages wait");
        assertFalse(outbox.offer("one too many"));
        assertEquals(1, overflows.get(), "the ninth message gives the client up");
        for (int i = 0; i < 100; i++) {
            assertFalse(outbox.offer("more " + i));
        }
        assertEquals(1, overflows.get(), "given up once");
        assertEquals(8, writes.size(), "nothing beyond the limit reached the transport");
        assertTrue(outbox.overflowed());
    }

    @Test
    void aClientThatKeepsUpNeverOverflows() {
        AtomicInteger overflows = new AtomicInteger();
        AtomicInteger sent = new AtomicInteger();
        Outbox outbox = new Outbox(8, message -> {
            sent.incrementAndGet();
            return CompletableFuture.completedFuture(null);
        }, overflows::incrementAndGet);
        for (int i = 0; i < 10_000; i++) {
            assertTrue(outbox.offer("console " + i));
        }
        assertEquals(10_000, sent.get());
        assertEquals(0, overflows.get());
        assertEquals(0, outbox.inFlight());
    }

    @Test
    void writtenMessagesMakeRoomAgain() {
        List<CompletableFuture<Object>> writes = new ArrayList<>();
        AtomicInteger overflows = new AtomicInteger();
        Outbox outbox = new Outbox(8, message -> {
            CompletableFuture<Object> write = new CompletableFuture<>();
            writes.add(write);
            return write;
        }, overflows::incrementAndGet);
        for (int i = 0; i < 8; i++) {
            outbox.offer("m" + i);
        }
        writes.get(0).complete(null);
        writes.get(1).completeExceptionally(new IllegalStateException("closed"));
        assertTrue(outbox.offer("fits again"));
        assertTrue(outbox.offer("and this"));
        assertEquals(0, overflows.get());
        assertEquals(8, outbox.inFlight());
    }
}
