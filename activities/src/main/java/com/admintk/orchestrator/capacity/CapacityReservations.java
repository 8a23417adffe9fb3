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
 * <p>A server of several ports holds more allocations: they sit in a second hash beside the node's
 * ({@code reservationId -> a,b,c}), so the main entry keeps the shape that every process reads.
 *
 * <p>A reservation counts against a node only while its allocation is still free in the panel figures the caller
 * read: once the panel shows the allocation assigned, the server stands there and the panel's own figures count it.
 * Each additional allocation is held while the panel still shows it free.
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
            local extra = {}
            local extras = redis.call('HGETALL', KEYS[3])
            for i = 1, #extras, 2 do extra[extras[i]] = extras[i + 1] end
            for i = 1, #entries, 2 do
              local id, v = entries[i], entries[i + 1]
              local exp, mem, disk, alloc = string.match(v, '^(%d+):(%d+):(%d+):(%d+)$')
              if exp == nil or tonumber(exp) <= now then
                redis.call('HDEL', KEYS[1], id)
                redis.call('HDEL', KEYS[3], id)
              else
                live = live + 1
                local more = extra[id] or ''
                if id == ARGV[2] then
                  mine = {exp, mem, disk, alloc, more}
                else
                  if free[alloc] then
                    usedMem = usedMem + tonumber(mem)
                    usedDisk = usedDisk + tonumber(disk)
                    held[#held + 1] = alloc
                  end
                  for a in string.gmatch(more, '[^,]+') do
                    if free[a] then held[#held + 1] = a end
                  end
                end
              end
            end
            local function keep(ttl)
              if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
              if redis.call('EXISTS', KEYS[3]) == 1 and redis.call('PTTL', KEYS[3]) < ttl then
                redis.call('PEXPIRE', KEYS[3], ttl)
              end
            end
            -- count allocations among the candidates (csv) that no other reservation holds, or {} when fewer
            local function pick(candidates, count)
              local taken = {}
              for _, a in ipairs(held) do taken[a] = true end
              local picked = {}
              for a in string.gmatch(candidates, '[^,]+') do
                if #picked >= count then break end
                if not taken[a] then picked[#picked + 1] = a end
              end
              if #picked < count then return {} end
              return picked
            end
            local function store(exp, mem, disk, picked)
              redis.call('HSET', KEYS[1], ARGV[2], exp .. ':' .. mem .. ':' .. disk .. ':' .. picked[1])
              if #picked > 1 then
                redis.call('HSET', KEYS[3], ARGV[2], table.concat(picked, ',', 2))
              else
                redis.call('HDEL', KEYS[3], ARGV[2])
              end
            end
            local function mineAllocations()
              local out = {tonumber(mine[4])}
              for a in string.gmatch(mine[5], '[^,]+') do out[#out + 1] = tonumber(a) end
              return out
            end
            """;

    /**
     * ARGV: free allocations, id, memory free, disk free, memory, disk, ttl ms, candidate allocations, how many.
     * The allocations held (default first), {} when the node has no room left.
     */
    private static final String RESERVE = PRELUDE + """
            local ttl = tonumber(ARGV[7])
            if mine ~= nil then
              redis.call('HSET', KEYS[1], ARGV[2], (now + ttl) .. ':' .. mine[2] .. ':' .. mine[3] .. ':' .. mine[4])
            else
              if usedMem + tonumber(ARGV[5]) > tonumber(ARGV[3]) or usedDisk + tonumber(ARGV[6]) > tonumber(ARGV[4]) then
                return {}
              end
              local picked = pick(ARGV[8], tonumber(ARGV[9]))
              if #picked == 0 then return {} end
              store(now + ttl, ARGV[5], ARGV[6], picked)
              mine = {now + ttl, ARGV[5], ARGV[6], picked[1], table.concat(picked, ',', 2)}
            end
            keep(ttl)
            redis.call('SADD', KEYS[2], KEYS[1])
            return mineAllocations()
            """;

    /** ARGV: '', id, ttl ms. Extends a live reservation; -1 when it is gone. */
    private static final String HOLD = PRELUDE + """
            if mine == nil then return -1 end
            local ttl = tonumber(ARGV[3])
            redis.call('HSET', KEYS[1], ARGV[2], (now + ttl) .. ':' .. mine[2] .. ':' .. mine[3] .. ':' .. mine[4])
            keep(ttl)
            return tonumber(mine[4])
            """;

    /**
     * ARGV: free allocations (a fresh reading of the node), id, candidate allocations, how many, ttl ms. Moves a live
     * reservation onto allocations that are free and held by no other; {} when it is gone or too few are left.
     */
    private static final String REPICK = PRELUDE + """
            if mine == nil then return {} end
            local picked = pick(ARGV[3], tonumber(ARGV[4]))
            if #picked == 0 then return {} end
            local ttl = tonumber(ARGV[5])
            store(now + ttl, mine[2], mine[3], picked)
            keep(ttl)
            local out = {}
            for i, a in ipairs(picked) do out[i] = tonumber(a) end
            return out
            """;

    /** ARGV: '', id, linger ms (0: remove now). */
    private static final String RELEASE = PRELUDE + """
            if mine == nil then return 0 end
            local linger = tonumber(ARGV[3])
            if linger <= 0 then
              redis.call('HDEL', KEYS[1], ARGV[2])
              redis.call('HDEL', KEYS[3], ARGV[2])
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

    /**
     * The allocations reserved (the default first, then the additional ones), or empty when the node has no room
     * left for them. Idempotent per reservation id. The free allocations and the candidates come as comma-separated
     * lists (see {@link #csv}), as a reading keeps them.
     */
    List<Integer> reserve(int nodeId, String reservationId, long memoryFree, long diskFree, int memory, int disk,
                          Duration ttl, String freeAllocations, String candidates, int count) {
        List<Object> answer = redis.sync().eval(RESERVE, ScriptOutputType.MULTI, keys(nodeId), freeAllocations,
                reservationId, Long.toString(memoryFree), Long.toString(diskFree), Integer.toString(memory),
                Integer.toString(disk), Long.toString(ttl.toMillis()), candidates, Integer.toString(count));
        return ids(answer);
    }

    /**
     * Moves a live reservation onto {@code count} of the candidates that are free in {@code freeAllocations} and held
     * by no other reservation; empty when it has lapsed or too few are left.
     */
    List<Integer> repick(int nodeId, String reservationId, Collection<Integer> freeAllocations,
                         List<Integer> candidates, int count, Duration ttl) {
        List<Object> answer = redis.sync().eval(REPICK, ScriptOutputType.MULTI, keys(nodeId), csv(freeAllocations),
                reservationId, csv(candidates), Integer.toString(count), Long.toString(ttl.toMillis()));
        return ids(answer);
    }

    private static List<Integer> ids(List<Object> answer) {
        return answer == null ? List.of() : answer.stream().map(a -> ((Number) a).intValue()).toList();
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
            List<Object> answer = redis.sync().eval(HELD, ScriptOutputType.MULTI,
                    new String[]{key, nodesKey(), key + ":more"}, "", "");
            total += ((Number) answer.get(3)).longValue();
        }
        return total;
    }

    private String[] keys(int nodeId) {
        return new String[]{prefix + "node:" + nodeId, nodesKey(), prefix + "node:" + nodeId + ":more"};
    }

    private String nodesKey() {
        return prefix + "nodes";
    }

    static String csv(Collection<Integer> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
