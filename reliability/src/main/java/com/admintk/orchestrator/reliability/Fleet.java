package com.admintk.orchestrator.reliability;

import com.admintk.orchestrator.localstack.JavaProcess;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The app's processes of a run: 2 api and 2 worker JVMs. A killed slot is restarted (new port for an api); the load
 * always reads the current api URLs, so a killed instance's share of requests fails as a client would see it.
 */
final class Fleet {

    private static final Duration READY = Duration.ofMinutes(4);

    private final SoakStack stack;
    private final JavaProcess[] apis = new JavaProcess[2];
    private final JavaProcess[] workers = new JavaProcess[2];
    /** One kill at a time per slot: a kill waits until the slot's previous restart is ready, so none is lost. */
    private final ReentrantLock[] apiLocks = {new ReentrantLock(), new ReentrantLock()};
    private final ReentrantLock[] workerLocks = {new ReentrantLock(), new ReentrantLock()};

    Fleet(SoakStack stack) {
        this.stack = stack;
    }

    void start() {
        for (int i = 0; i < 2; i++) {
            apis[i] = stack.startApp("api-" + i, "api");
            workers[i] = stack.startApp("worker-" + i, "worker");
        }
        for (int i = 0; i < 2; i++) {
            apis[i].awaitReady(READY);
            workers[i].awaitReady(READY);
        }
    }

    /** The api base URLs, each at most once; a slot being restarted is still listed (its requests fail meanwhile). */
    synchronized List<String> apiUrls() {
        List<String> urls = new ArrayList<>();
        for (JavaProcess api : apis) {
            urls.add(api.baseUrl());
        }
        return urls;
    }

    String randomApi() {
        List<String> urls = apiUrls();
        return urls.get(ThreadLocalRandom.current().nextInt(urls.size()));
    }

    /** SIGKILL a random worker, then start it again and wait until it is ready. Answers the slot's name. */
    String killWorker() {
        return killAndRestart(workers, workerLocks);
    }

    String killApi() {
        return killAndRestart(apis, apiLocks);
    }

    /** A random slot that is not restarting; when both are, the first to be ready again. */
    private String killAndRestart(JavaProcess[] slots, ReentrantLock[] locks) {
        int first = ThreadLocalRandom.current().nextInt(2);
        int slot = locks[first].tryLock() ? first : locks[1 - first].tryLock() ? 1 - first : -1;
        if (slot < 0) {
            slot = first;
            locks[slot].lock();
        }
        try {
            return killAndRestart(slots, slot);
        } finally {
            locks[slot].unlock();
        }
    }

    private String killAndRestart(JavaProcess[] slots, int slot) {
        JavaProcess victim;
        synchronized (this) {
            victim = slots[slot];
        }
        victim.kill();
        sleep(1_000);
        JavaProcess restarted = victim.restart();
        stack.track(restarted);
        synchronized (this) {
            slots[slot] = restarted;
        }
        restarted.awaitReady(READY);
        return victim.name() + " (pid " + victim.pid() + ")";
    }

    /** Every process alive and ready (after the chaos: each restarted slot must have come back). */
    boolean allReady() {
        List<JavaProcess> all = new ArrayList<>();
        synchronized (this) {
            all.addAll(List.of(apis));
            all.addAll(List.of(workers));
        }
        return all.stream().allMatch(p -> p.isAlive() && p.status("/health/readiness") == 200);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
