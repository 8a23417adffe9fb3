package com.admintk.orchestrator.live.ws;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * What one socket still has to deliver. Every message is handed to the transport at once (Netty writes them in
 * order), and counted until the transport says it is written. A client that stops reading lets the count grow: at
 * {@code limit} messages in flight the socket is given up ({@code onOverflow}, which closes it with
 * {@link LiveProtocol#SLOW_CONSUMER}) instead of buffering without bound for it.
 */
final class Outbox {

    private final int limit;
    private final Function<String, CompletableFuture<?>> transport;
    private final Runnable onOverflow;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean overflowed = new AtomicBoolean();

    Outbox(int limit, Function<String, CompletableFuture<?>> transport, Runnable onOverflow) {
        this.limit = limit;
        this.transport = transport;
        this.onOverflow = onOverflow;
    }

    /** False when the message was dropped: the socket overflowed (now or before). */
    boolean offer(String message) {
        if (overflowed.get()) {
            return false;
        }
        if (inFlight.incrementAndGet() > limit) {
            inFlight.decrementAndGet();
            if (overflowed.compareAndSet(false, true)) {
                onOverflow.run();
            }
            return false;
        }
        CompletableFuture<?> sent;
        try {
            sent = transport.apply(message);
        } catch (RuntimeException closed) {
            inFlight.decrementAndGet();
            return false;
        }
        sent.whenComplete((done, failure) -> inFlight.decrementAndGet());
        return true;
    }

    int inFlight() {
        return inFlight.get();
    }

    boolean overflowed() {
        return overflowed.get();
    }
}
