package com.admintk.orchestrator.server;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;

import java.net.InetAddress;
import java.time.Duration;
import java.util.UUID;

/**
 * Leadership of one cluster-wide job, as a Redis key holding the leader's instance id with an expiry. Taking it is
 * {@code SET key id NX PX lease}; keeping it is an extension only while the key still holds our id; giving it up
 * deletes it only while it does. A leader that dies stops renewing, the key expires, and the next instance that
 * tries takes over: at most one leader at a time, and a gap of at most one lease. Used by the stats poller and the
 * install watcher, each with its own key.
 */
final class PollerLease {

    /** Compare-and-extend: a lease that expired and was taken by another instance is not ours to extend. */
    private static final String RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then "
            + "return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
    /** Compare-and-delete: giving up never removes another leader's lease. */
    private static final String RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then "
            + "return redis.call('del', KEYS[1]) else return 0 end";

    private final RedisCommands<String, String> redis;
    private final String key;
    private final String instanceId;
    private final Duration lease;
    private volatile long heldUntilNanos;
    private volatile boolean held;

    PollerLease(RedisCommands<String, String> redis, String key, String instanceId, Duration lease) {
        this.redis = redis;
        this.key = key;
        this.instanceId = instanceId;
        this.lease = lease;
    }

    /** Renews the lease if we hold it, takes it if it is free; says whether we hold it now. */
    boolean holdOrTake() {
        long askedAt = System.nanoTime();
        boolean ours;
        if (held) {
            Long renewed = redis.eval(RENEW, ScriptOutputType.INTEGER, new String[]{key}, instanceId,
                    String.valueOf(lease.toMillis()));
            ours = renewed != null && renewed == 1L;
        } else {
            ours = "OK".equals(redis.set(key, instanceId, SetArgs.Builder.nx().px(lease.toMillis())));
        }
        held = ours;
        // counted from before the call: Redis started the expiry no earlier than that
        heldUntilNanos = ours ? askedAt + lease.toNanos() : 0;
        return ours;
    }

    /**
     * Whether we may still act as leader without asking Redis: the lease we last got has some life left. A leader
     * whose renewals stall (Redis unreachable) stops before another instance can have taken over.
     */
    boolean stillHeld() {
        return held && System.nanoTime() < heldUntilNanos - lease.toNanos() / 10;
    }

    boolean held() {
        return held;
    }

    /** Time since the lease was last taken or renewed, to renew it during a long round. */
    Duration sinceRenewal() {
        return held ? Duration.ofNanos(System.nanoTime() - (heldUntilNanos - lease.toNanos())) : Duration.ZERO;
    }

    void release() {
        if (held) {
            held = false;
            heldUntilNanos = 0;
            redis.eval(RELEASE, ScriptOutputType.INTEGER, new String[]{key}, instanceId);
        }
    }

    String instanceId() {
        return instanceId;
    }

    /** This process's name in a lease: host, and a random part so two processes of one host differ. */
    static String newInstanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "worker";
        }
        return host + ":" + UUID.randomUUID().toString().substring(0, 8);
    }
}
