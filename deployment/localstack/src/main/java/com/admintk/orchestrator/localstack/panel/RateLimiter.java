package com.admintk.orchestrator.localstack.panel;

import java.util.HashMap;
import java.util.Map;

/**
 * Laravel-style fixed window: the first hit opens a 60 s window for the bucket; hits over the limit inside it are
 * refused (and not counted) with Retry-After = seconds until the window closes.
 */
final class RateLimiter {
    private static final long WINDOW_MS = 60_000;

    private static final class Window {
        long start;
        int hits;
    }

    private final Map<String, Window> windows = new HashMap<>();

    /** Returns 0 when allowed (and counts the hit), else the Retry-After in seconds (≥ 1). */
    synchronized long tryAcquire(String bucket, int limit, long nowMs) {
        Window w = windows.computeIfAbsent(bucket, k -> new Window());
        if (w.hits == 0 || nowMs - w.start >= WINDOW_MS) {
            w.start = nowMs;
            w.hits = 0;
        }
        if (w.hits >= limit) {
            return Math.max(1, (w.start + WINDOW_MS - nowMs + 999) / 1000);
        }
        w.hits++;
        return 0;
    }

    synchronized long secondsToReset(String bucket, long nowMs) {
        Window w = windows.get(bucket);
        if (w == null) return 60;
        return Math.max(1, (w.start + WINDOW_MS - nowMs + 999) / 1000);
    }

    synchronized void reset() {
        windows.clear();
    }
}
