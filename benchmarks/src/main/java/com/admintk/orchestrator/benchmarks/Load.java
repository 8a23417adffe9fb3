package com.admintk.orchestrator.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Load generation: a closed loop (as fast as {@code concurrency} callers go) and an open loop at a fixed rate. */
final class Load {

    /** One call; throws on any answer but the expected one. */
    @FunctionalInterface
    interface Call {
        void run(int index) throws Exception;
    }

    /** What a run measured: every latency, the wall time, and every failure (a run with failures is invalid). */
    record Run(String name, long[] latenciesNanos, long wallNanos, List<String> failures) {

        double perSecond() {
            return latenciesNanos.length / (wallNanos / 1e9);
        }

        double percentileMillis(double p) {
            long[] sorted = latenciesNanos.clone();
            Arrays.sort(sorted);
            int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
        }

        Run requireClean() {
            if (!failures.isEmpty()) {
                throw new BenchmarkInvalid(name + ": " + failures.size() + " of " + (latenciesNanos.length + failures.size())
                        + " calls failed, first: " + failures.get(0));
            }
            return this;
        }

        String summary() {
            return String.format("%s: %d calls in %.1f s = %.1f/s, p50 %.1f ms, p99 %.1f ms, %d failed", name,
                    latenciesNanos.length, wallNanos / 1e9, perSecond(), percentileMillis(50), percentileMillis(99),
                    failures.size());
        }
    }

    private Load() {
    }

    static Run closed(String name, int calls, int concurrency, Call call) {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        AtomicInteger next = new AtomicInteger();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        long start = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < concurrency; t++) {
            workers.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < calls; i = next.getAndIncrement()) {
                    long before = System.nanoTime();
                    try {
                        call.run(i);
                        latencies.add(System.nanoTime() - before);
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
            }));
        }
        await(pool, workers);
        long wall = System.nanoTime() - start;
        return new Run(name, latencies.stream().mapToLong(Long::longValue).toArray(), wall, List.copyOf(failures));
    }

    /**
     * Calls at a fixed rate whatever the answers' speed. Latency counts from when the call was due, not when a
     * thread got to it, so a stall shows in the figures instead of silently lowering the rate.
     */
    static Run open(String name, int calls, double perSecond, Call call) {
        ExecutorService pool = Executors.newCachedThreadPool();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        long start = System.nanoTime();
        long interval = (long) (1e9 / perSecond);
        List<Future<?>> sent = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            int index = i;
            sent.add(pool.submit(() -> {
                try {
                    call.run(index);
                    latencies.add(System.nanoTime() - due);
                } catch (Exception e) {
                    failures.add(e.toString());
                }
            }));
        }
        await(pool, sent);
        long wall = System.nanoTime() - start;
        return new Run(name, latencies.stream().mapToLong(Long::longValue).toArray(), wall, List.copyOf(failures));
    }

    private static void await(ExecutorService pool, List<Future<?>> futures) {
        try {
            for (Future<?> future : futures) {
                future.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
    }
}
