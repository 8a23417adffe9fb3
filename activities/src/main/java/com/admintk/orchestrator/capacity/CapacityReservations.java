package com.admintk.orchestrator.capacity;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The reservations on each node, in Redis: one hash per node ({@code reservationId -> expiresAt:memory:disk:allocation}),
 * changed only by Lua scripts, so "count what is held, check the room, take it" is one atomic step for every API and
 * worker process at once. Expiry is Redis' own clock ({@code TIME}), so processes with skewed clocks agree.
 *
 * <p>A reservation counts against a node only while its allocation is still free in the panel figures the caller
 * read: once the panel shows the allocation assigned, the server stands there and the panel's own figures count it.
 */
final class CapacityReservations {

    /** What the live reservations of a node take, counted against one reading of the panel. */
    record Held(long memory, long disk, Set<Integer> allocations, long live) {
    }

    private static final String PRELUDE = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local free = {}
            for a in string.gmatch(ARGV[1], '[^,]+') do free[a] = true end
            local usedMem, usedDisk, live = 0, 0, 0
            local held = {}
            local mine = nil
            local entries = redis.call('HGETALL', KEYS[1])
            for i = 1, #entries, 2 do
              local id, v = entries[i], entries[i + 1]
              local exp, mem, disk, alloc = string.match(v, '^(%d+):(%d+):(%d+):(%d+)$')
              if exp == nil or tonumber(exp) <= now then
                redis.call('HDEL', KEYS[1], id)
              else
                live = live + 1
                if id == ARGV[2] then
                  mine = {exp, mem, disk, alloc}
                elseif free[alloc] then
                  usedMem = usedMem + tonumber(mem)
                  usedDisk = usedDisk + tonumber(disk)
                  held[#held + 1] = alloc
                end
              end
            end
            """;

    /** ARGV: free allocations, id, memory free, disk free, memory, disk, ttl ms, candidate allocations. */
    private static final String RESERVE = PRELUDE + """
            local ttl = tonumber(ARGV[7])
            local alloc = nil
            if mine ~= nil then
              alloc = mine[4]
            else
              if usedMem + tonumber(ARGV[5]) > tonumber(ARGV[3]) or usedDisk + tonumber(ARGV[6]) > tonumber(ARGV[4]) then
                return -1
              end
              local taken = {}
              for _, a in ipairs(held) do taken[a] = true end
              for a in string.gmatch(ARGV[8], '[^,]+') do
                if not taken[a] then alloc = a break end
              end
              if alloc == nil then return -1 end
            end
            redis.call('HSET', KEYS[1], ARGV[2], (now + ttl) .. ':' .. ARGV[5] .. ':' .. ARGV[6] .. ':' .. alloc)
            if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
            redis.call('SADD', KEYS[2], KEYS[1])
            return tonumber(alloc)
            """;

    /** ARGV: '', id, ttl ms. Extends a live reservation; -1 when it is gone. */
    private static final String HOLD = PRELUDE + """
            if mine == nil then return -1 end
            local ttl = tonumber(ARGV[3])
            redis.call('HSET', KEYS[1], ARGV[2], (now + ttl) .. ':' .. mine[2] .. ':' .. mine[3] .. ':' .. mine[4])
            if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
            return tonumber(mine[4])
            """;

    /** ARGV: '', id, linger ms (0: remove now). */
    private static final String RELEASE = PRELUDE + """
            if mine == nil then return 0 end
            local linger = tonumber(ARGV[3])
            if linger <= 0 then
              redis.call('HDEL', KEYS[1], ARGV[2])
            elseif tonumber(mine[1]) > now + linger then
              redis.call('HSET', KEYS[1], ARGV[2], (now + linger) .. ':' .. mine[2] .. ':' .. mine[3] .. ':' .. mine[4])
            end
            return 1
            """;

    /** ARGV: free allocations, ''. {memory, disk, held allocations (csv), live reservations}. */
    private static final String HELD = PRELUDE + """
            return {usedMem, usedDisk, table.concat(held, ','), live}
            """;

    private final StatefulRedisConnection<String, String> redis;
    private final String prefix;

    CapacityReservations(StatefulRedisConnection<String, String> redis, String prefix) {
        this.redis = redis;
        this.prefix = prefix;
    }

    /** The allocation reserved, or -1 when the node has no room left for it. Idempotent per reservation id. */
    int reserve(int nodeId, String reservationId, long memoryFree, long diskFree, int memory, int disk, Duration ttl,
                Collection<Integer> freeAllocations, List<Integer> candidates) {
        Long answer = redis.sync().eval(RESERVE, ScriptOutputType.INTEGER, keys(nodeId), csv(freeAllocations),
                reservationId, Long.toString(memoryFree), Long.toString(diskFree), Integer.toString(memory),
                Integer.toString(disk), Long.toString(ttl.toMillis()), csv(candidates));
        return answer.intValue();
    }

    /** The reservation's allocation, its life extended; -1 when it has lapsed or was released. */
    int hold(int nodeId, String reservationId, Duration ttl) {
        Long answer = redis.sync().eval(HOLD, ScriptOutputType.INTEGER, keys(nodeId), "", reservationId,
                Long.toString(ttl.toMillis()));
        return answer.intValue();
    }

    void release(int nodeId, String reservationId, Duration linger) {
        redis.sync().eval(RELEASE, ScriptOutputType.INTEGER, keys(nodeId), "", reservationId,
                Long.toString(linger.toMillis()));
    }

    Held held(int nodeId, Collection<Integer> freeAllocations) {
        List<Object> answer = redis.sync().eval(HELD, ScriptOutputType.MULTI, keys(nodeId), csv(freeAllocations), "");
        String allocations = answer.get(2) == null ? "" : answer.get(2).toString();
        Set<Integer> taken = allocations.isEmpty() ? Set.of() : java.util.Arrays.stream(allocations.split(","))
                .map(Integer::valueOf).collect(Collectors.toUnmodifiableSet());
        return new Held(((Number) answer.get(0)).longValue(), ((Number) answer.get(1)).longValue(), taken,
                ((Number) answer.get(3)).longValue());
    }

    /** Live reservations over every node that has had one. */
    long live() {
        long total = 0;
        for (String key : redis.sync().smembers(nodesKey())) {
            List<Object> answer = redis.sync().eval(HELD, ScriptOutputType.MULTI, new String[]{key, nodesKey()}, "", "");
            total += ((Number) answer.get(3)).longValue();
        }
        return total;
    }

    private String[] keys(int nodeId) {
        return new String[]{prefix + "node:" + nodeId, nodesKey()};
    }

    private String nodesKey() {
        return prefix + "nodes";
    }

    private static String csv(Collection<Integer> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
