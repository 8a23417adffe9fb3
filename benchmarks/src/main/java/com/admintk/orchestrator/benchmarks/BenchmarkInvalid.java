package com.admintk.orchestrator.benchmarks;

/** A scenario's run cannot be trusted (errors under load, orders missing, a process died): no figure is reported. */
final class BenchmarkInvalid extends RuntimeException {
    BenchmarkInvalid(String message) {
        super(message);
    }
}
