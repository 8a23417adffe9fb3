package com.admintk.orchestrator.server;

import com.admintk.orchestrator.config.ServesApi;
import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts server records that are on no customer's list of servers onto it ({@link ServerStore#listUnlisted()}): the
 * records written before this version, once after start, and those an older worker still writes during a rolling
 * deploy, every {@code orchestrator.servers.listing-sweep} (10 minutes by default). Every API process runs it; the
 * updates are idempotent.
 */
@Singleton
@Requires(condition = ServesApi.class)
public class ServerListingSweep {

    private static final Logger LOG = LoggerFactory.getLogger(ServerListingSweep.class);

    private final ServerStore servers;

    public ServerListingSweep(ServerStore servers) {
        this.servers = servers;
    }

    /** Never throws: a failed sweep is tried again at the next one. */
    @Scheduled(initialDelay = "5s", fixedDelay = "${orchestrator.servers.listing-sweep:10m}")
    void sweep() {
        try {
            int listed = servers.listUnlisted();
            if (listed > 0) {
                LOG.info("Listed {} server record(s) that were on no customer's list", listed);
            }
        } catch (RuntimeException e) {
            LOG.warn("Server listing sweep failed: {}", e.toString());
        }
    }
}
