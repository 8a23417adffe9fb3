package com.admintk.orchestrator.order;

/**
 * The customer's consent, given at checkout, to wait for room when the panel refuses the server after the charge
 * (capacity taken outside the orchestrator). {@code maxWaitSeconds} counts from the first refusal: the order then
 * waits in {@code WAITING_FOR_CAPACITY} until an operator signals capacity added, and is refunded when that time is
 * up without room.
 */
public record CapacityWait(long maxWaitSeconds) {

    public static CapacityWait upTo(java.time.Duration maxWait) {
        return new CapacityWait(maxWait.toSeconds());
    }
}
