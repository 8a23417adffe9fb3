package com.admintk.orchestrator.benchmarks;

import com.admintk.orchestrator.localstack.JavaProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time used during a round, from {@code /proc}: by one watched process (the api), by this JVM (the Temporal
 * test server, MongoDB, the panel simulator and the load generators), and by the whole machine (the rest is Redis,
 * the kernel and anything else that ran). Divided by the round's calls it says what one call costs, which a rate on
 * a shared 2-core machine cannot.
 */
final class CpuMeter {

    private static final long MILLIS_PER_TICK = 10; // USER_HZ is 100 on Linux

    private final long watchedPid;
    private final long watched;
    private final long self;
    private final long machine;
    private final long startedNanos = System.nanoTime();

    private CpuMeter(long watchedPid) {
        this.watchedPid = watchedPid;
        this.watched = processMillis(watchedPid);
        this.self = processMillis(ProcessHandle.current().pid());
        this.machine = machineBusyMillis();
    }

    /** Starts measuring; {@code watchedPid} 0 watches no process of its own. */
    static CpuMeter start(long watchedPid) {
        return new CpuMeter(watchedPid);
    }

    /** CPU milliseconds per call since the start: watched process, this JVM, the rest of the machine. */
    String perCall(int calls) {
        double watchedMs = (processMillis(watchedPid) - watched) / (double) calls;
        double selfMs = (processMillis(ProcessHandle.current().pid()) - self) / (double) calls;
        double machineMs = (machineBusyMillis() - machine) / (double) calls;
        String rest = String.format("harness JVM %.2f, rest of the machine %.2f", selfMs, machineMs - selfMs - watchedMs);
        return watchedPid == 0 ? rest : String.format("api %.2f, %s", watchedMs, rest);
    }

    /** Cores the whole machine kept busy on average since the start (2.0: both cores of this machine). */
    double cores() {
        return (machineBusyMillis() - machine) / ((System.nanoTime() - startedNanos) / 1e6);
    }

    /**
     * Waits until the machine used less than {@code cores} of CPU over one second (at most {@code max}): a collector
     * or compiler still busy from the previous phase then runs before the measured one instead of during it.
     */
    static void awaitQuiet(double cores, java.time.Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        long started = System.nanoTime();
        while (true) {
            long before = machineBusyMillis();
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            double used = (machineBusyMillis() - before) / 1_000.0;
            if (used < cores || System.nanoTime() > deadline) {
                System.out.printf("quiet after %.0f s (%.2f cores busy in the last second)%n",
                        (System.nanoTime() - started) / 1e9, used);
                return;
            }
        }
    }

    private static long processMillis(long pid) {
        if (pid == 0) {
            return 0;
        }
        try {
            return JavaProcess.cpuMillis(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** All CPUs' time in user, nice, system, irq and softirq (the first line of /proc/stat). */
    private static long machineBusyMillis() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long ticks = 0;
            for (int i : new int[] {1, 2, 3, 6, 7}) {
                ticks += Long.parseLong(fields[i]);
            }
            return ticks * MILLIS_PER_TICK;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
