package com.admintk.orchestrator.localstack.panel;

import java.util.HashMap;
import java.util.Map;

/**
 * Laravel-style fixed window: the first hit opens a window (60 s, like the panel; tests may shorten it) for the
 * bucket; hits over the limit inside it are refused (and not counted) with Retry-After = seconds until the window
 * closes.
 */
final class RateLimiter {

    private static final class Window {
        long start;
        int hits;
    }

    private final Map<String, Window> windows = new HashMap<>();

    /** Returns 0 when allowed (and counts the hit), else the Retry-After in seconds (≥ 1). */
    synchronized long tryAcquire(String bucket, int limit, long windowMs, long nowMs) {
        Window w = windows.computeIfAbsent(bucket, k -> new Window());
        if (w.hits == 0 || nowMs - w.start >= windowMs) {
            w.start = nowMs;
            w.hits = 0;
        }
        if (w.hits >= limit) {
            return Math.max(1, (w.start + windowMs - nowMs + 999) / 1000);
        }
        w.hits++;
        return 0;
    }

    synchronized long secondsToReset(String bucket, long windowMs, long nowMs) {
        Window w = windows.get(bucket);
        if (w == null) return Math.max(1, (windowMs + 999) / 1000);
        return Math.max(1, (w.start + windowMs - nowMs + 999) / 1000);
    }

    synchronized void reset() {
        windows.clear();
    }
}
