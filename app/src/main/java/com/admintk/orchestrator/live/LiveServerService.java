package com.admintk.orchestrator.live;

import com.admintk.orchestrator.config.ServesApi;
import com.admintk.orchestrator.error.ApiException;
import com.admintk.orchestrator.identity.CurrentUser;
import com.admintk.orchestrator.pterodactyl.Panel;
import com.admintk.orchestrator.pterodactyl.PanelClient;
import com.admintk.orchestrator.pterodactyl.PanelException;
import com.admintk.orchestrator.security.AuditLog;
import com.admintk.orchestrator.server.ServerStore;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Power, console commands, resources and files of a running game server, for its owner or an admin. Every call
 * first finds the server record and checks ownership (another customer's server is 404, and nothing is sent to the
 * panel), then the request, then the server's state (suspended or gone: 409), and only then calls the panel through
 * {@link LivePanel}. Actions that change the server (power, command, file write, delete, rename) go to the audit log
 * with their result once they reach the panel.
 */
@Singleton
@Requires(condition = ServesApi.class)
@Requires(property = "panel.url")
public class LiveServerService {

    static final int MAX_COMMAND_CHARS = 1000;
    static final int MAX_FILES_PER_CALL = 100;
    static final List<String> SIGNALS = List.of("start", "stop", "restart", "kill");

    static final class Actions {
        static final String SERVER_POWER = AuditLog.Actions.SERVER_POWER;
        static final String SERVER_COMMAND = "SERVER_COMMAND";
        static final String FILE_WRITTEN = AuditLog.Actions.FILE_WRITTEN;
        static final String FILE_DELETED = "FILE_DELETED";
        static final String FILE_RENAMED = "FILE_RENAMED";

        private Actions() {
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(LiveServerService.class);
    private static final int AUDITED_COMMAND_CHARS = 200;

    private final ServerStore servers;
    private final CurrentUser currentUser;
    private final LivePanel panel;
    private final AuditLog audit;
    private final LiveSettings settings;

    public LiveServerService(ServerStore servers, CurrentUser currentUser, LivePanel panel, AuditLog audit,
                             LiveSettings settings) {
        this.servers = servers;
        this.currentUser = currentUser;
        this.panel = panel;
        this.audit = audit;
        this.settings = settings;
    }

    /** The server as live operations need it: our id and the panel's identifier. */
    record LiveServer(String id, String panelServer, String status, String suspension, String region) {
        String target() {
            return "server:" + id;
        }
    }

    // ---- power and console ---------------------------------------------------------------------------------------

    public void power(HttpRequest<?> request, Authentication who, String serverId, LiveViews.PowerRequest body) {
        LiveServer server = owned(who, serverId);
        String signal = body == null ? null : body.signal();
        if (signal == null || !SIGNALS.contains(signal)) {
            throw ApiException.badRequest("INVALID_SIGNAL", "signal must be one of " + String.join(", ", SIGNALS),
                    Map.of("field", "signal", "allowed", SIGNALS));
        }
        usable(server);
        audited(request, who, Actions.SERVER_POWER, server, Map.of("signal", signal), false,
                client -> {
                    client.power(server.panelServer(), Panel.PowerSignal.valueOf(signal));
                    return null;
                });
    }

    public void command(HttpRequest<?> request, Authentication who, String serverId, LiveViews.CommandRequest body) {
        LiveServer server = owned(who, serverId);
        String command = body == null ? null : body.command();
        if (command == null || command.isBlank()) {
            throw ApiException.badRequest("INVALID_COMMAND", "command is required", Map.of("field", "command"));
        }
        if (command.length() > MAX_COMMAND_CHARS) {
            throw ApiException.badRequest("INVALID_COMMAND", "command is longer than " + MAX_COMMAND_CHARS
                    + " characters", Map.of("field", "command", "maxLength", MAX_COMMAND_CHARS));
        }
        if (command.chars().anyMatch(Character::isISOControl)) {
            // a line break would make one request type several console lines
            throw ApiException.badRequest("INVALID_COMMAND", "command must be one line without control characters",
                    Map.of("field", "command"));
        }
        usable(server);
        String audited = command.length() > AUDITED_COMMAND_CHARS
                ? command.substring(0, AUDITED_COMMAND_CHARS) + "…" : command;
        audited(request, who, Actions.SERVER_COMMAND, server, Map.of("command", audited), false,
                client -> {
                    client.sendCommand(server.panelServer(), command);
                    return null;
                });
    }

    public LiveViews.Resources resources(Authentication who, String serverId) {
        LiveServer server = owned(who, serverId);
        usable(server);
        return LiveViews.Resources.of(server.id(),
                call(server, false, client -> client.resources(server.panelServer())));
    }

    // ---- files ---------------------------------------------------------------------------------------------------

    public LiveViews.Directory listFiles(Authentication who, String serverId, String directory) {
        LiveServer server = owned(who, serverId);
        String path = ServerPaths.directory("directory", directory);
        usable(server);
        List<Panel.FileObject> files = call(server, true, client -> client.listFiles(server.panelServer(), path));
        return new LiveViews.Directory(server.id(), path,
                files.stream().map(file -> LiveViews.FileEntry.of(path, file)).toList());
    }

    public String fileContents(Authentication who, String serverId, String file) {
        LiveServer server = owned(who, serverId);
        String path = ServerPaths.target("file", file);
        usable(server);
        return call(server, true, client -> client.fileContents(server.panelServer(), path));
    }

    public void writeFile(HttpRequest<?> request, Authentication who, String serverId, String file, byte[] content) {
        LiveServer server = owned(who, serverId);
        String path = ServerPaths.target("file", file);
        byte[] bytes = content == null ? new byte[0] : content;
        if (bytes.length > settings.maxFileWriteBytes()) {
            throw ApiException.badRequest("FILE_TOO_LARGE", "The file is larger than " + settings.maxFileWriteBytes()
                    + " bytes; upload it through the upload URL instead",
                    Map.of("field", "$body", "maxBytes", settings.maxFileWriteBytes()));
        }
        usable(server);
        audited(request, who, Actions.FILE_WRITTEN, server, Map.of("file", path, "bytes", bytes.length), true,
                client -> {
                    client.writeFile(server.panelServer(), path, bytes);
                    return null;
                });
    }

    public void deleteFiles(HttpRequest<?> request, Authentication who, String serverId,
                            LiveViews.DeleteFilesRequest body) {
        LiveServer server = owned(who, serverId);
        String root = ServerPaths.directory("root", body == null ? null : body.root());
        List<String> names = body == null || body.files() == null ? List.of() : body.files();
        if (names.isEmpty() || names.size() > MAX_FILES_PER_CALL) {
            throw ApiException.badRequest("INVALID_FILES", "files must name 1 to " + MAX_FILES_PER_CALL + " files",
                    Map.of("field", "files"));
        }
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            paths.add(ServerPaths.within("files[" + i + "]", root, names.get(i)));
        }
        usable(server);
        audited(request, who, Actions.FILE_DELETED, server, Map.of("files", paths), true, client -> {
            client.deleteFiles(server.panelServer(), ServerPaths.ROOT,
                    paths.stream().map(ServerPaths::relative).toList());
            return null;
        });
    }

    public void renameFiles(HttpRequest<?> request, Authentication who, String serverId,
                            LiveViews.RenameFilesRequest body) {
        LiveServer server = owned(who, serverId);
        String root = ServerPaths.directory("root", body == null ? null : body.root());
        List<LiveViews.Rename> moves = body == null || body.files() == null ? List.of() : body.files();
        if (moves.isEmpty() || moves.size() > MAX_FILES_PER_CALL) {
            throw ApiException.badRequest("INVALID_FILES", "files must name 1 to " + MAX_FILES_PER_CALL + " renames",
                    Map.of("field", "files"));
        }
        List<Panel.FileRename> renames = new ArrayList<>();
        List<String> described = new ArrayList<>();
        for (int i = 0; i < moves.size(); i++) {
            LiveViews.Rename move = moves.get(i);
            String from = ServerPaths.within("files[" + i + "].from", root, move == null ? null : move.from());
            String to = ServerPaths.within("files[" + i + "].to", root, move == null ? null : move.to());
            renames.add(new Panel.FileRename(ServerPaths.relative(from), ServerPaths.relative(to)));
            described.add(from + " -> " + to);
        }
        usable(server);
        audited(request, who, Actions.FILE_RENAMED, server, Map.of("files", described), true, client -> {
            client.renameFiles(server.panelServer(), ServerPaths.ROOT, renames);
            return null;
        });
    }

    public LiveViews.SignedUrl uploadUrl(Authentication who, String serverId) {
        LiveServer server = owned(who, serverId);
        usable(server);
        return new LiveViews.SignedUrl(call(server, true, client -> client.uploadUrl(server.panelServer())), null);
    }

    public LiveViews.SignedUrl downloadUrl(Authentication who, String serverId, String file) {
        LiveServer server = owned(who, serverId);
        String path = ServerPaths.target("file", file);
        usable(server);
        return new LiveViews.SignedUrl(call(server, true, client -> client.downloadUrl(server.panelServer(), path)), path);
    }

    // ---- watching (the live WebSocket) ---------------------------------------------------------------------------

    /** A server someone may watch live: our id, the panel's identifier, and the record's status. */
    public record Watched(String serverId, String panelServer, String status) {
    }

    /**
     * The server, if {@code who} may watch it: the same ownership (404) and state (409) checks as every live
     * operation, so a socket learns exactly what the REST routes would answer.
     */
    public Watched watchable(Authentication who, String serverId) {
        LiveServer server = owned(who, serverId);
        usable(server);
        return new Watched(server.id(), server.panelServer(), server.status());
    }

    /**
     * Why a watched server can no longer be watched ({@code SERVER_SUSPENDED}, {@code SERVER_TERMINATED},
     * {@code NOT_FOUND}...), or empty while it still can. No caller: the socket already passed {@link #watchable}.
     */
    public Optional<String> endOfWatch(String serverId) {
        Optional<Document> record = servers.find(serverId);
        if (record.isEmpty()) {
            return Optional.of("NOT_FOUND");
        }
        try {
            usable(server(serverId, record.get()));
            return Optional.empty();
        } catch (ApiException notUsable) {
            return Optional.of(notUsable.code());
        }
    }

    /** A server on its panel: the panel's identifier and the region (null: the default region). */
    public record PanelServer(String identifier, String region) {
    }

    /** The panel's identifier and region of a server we hold a record of. */
    public Optional<PanelServer> panelServer(String serverId) {
        return servers.find(serverId).map(record -> server(serverId, record))
                .map(server -> new PanelServer(server.panelServer(), server.region()));
    }

    /** The base URL of the region's panel, where its Wings sockets are reached. */
    public String panelUrl(String region) {
        return panel.panelUrl(region);
    }

    /**
     * Fresh Wings socket credentials (they live minutes), from the server's region, through the same breaker as
     * every live panel call.
     */
    public Panel.WebsocketCredentials websocketCredentials(PanelServer server) {
        try {
            return panel.call(server.region(), client -> client.websocketCredentials(server.identifier()));
        } catch (PanelException failure) {
            throw answer(failure, false);
        }
    }

    // ---- the server and the panel --------------------------------------------------------------------------------

    /** The server record, if {@code who} may act on it; 404 otherwise, exactly as for a server that does not exist. */
    private LiveServer owned(Authentication who, String serverId) {
        Document record = servers.find(serverId).orElseThrow(() -> ApiException.notFound("Server"));
        currentUser.requireOwnerOrAdmin(who, record.getString("customerId"), "Server");
        return server(serverId, record);
    }

    private static LiveServer server(String serverId, Document record) {
        String panelServer = record.getString("panelIdentifier") != null ? record.getString("panelIdentifier")
                : record.getString("panelUuid");
        // the server's region: its panel is the only one that knows it (null: the default region)
        return new LiveServer(serverId, panelServer, record.getString("status"), record.getString("suspension"),
                record.getString("region"));
    }

    /** 409 unless the server runs in the panel: suspended and gone servers have no live operations. */
    private static void usable(LiveServer server) {
        if ("SUSPENDED".equals(server.status())) {
            throw new ApiException(HttpStatus.CONFLICT, "SERVER_SUSPENDED", "The server is suspended",
                    server.suspension() == null ? Map.of() : Map.of("reason", server.suspension()));
        }
        if (ServerStore.TERMINATED.equals(server.status()) || ServerStore.RELEASED.equals(server.status())) {
            throw new ApiException(HttpStatus.CONFLICT, "SERVER_TERMINATED", "The server no longer exists",
                    Map.of("status", server.status()));
        }
        if (server.panelServer() == null) {
            throw new ApiException(HttpStatus.CONFLICT, "SERVER_INSTALLING", "The server is not ready on the panel yet");
        }
    }

    /** A panel call; the panel's refusals become the API's answers. */
    private <T> T call(LiveServer server, boolean fileOperation, Function<PanelClient, T> call) {
        try {
            return panel.call(server.region(), call);
        } catch (PanelException failure) {
            throw answer(failure, fileOperation);
        }
    }

    /** A panel call that changes the server, audited with its result (and the error code when it failed). */
    private void audited(HttpRequest<?> request, Authentication who, String action, LiveServer server,
                         Map<String, Object> details, boolean fileOperation,
                         Function<PanelClient, Void> change) {
        try {
            call(server, fileOperation, change);
        } catch (ApiException refused) {
            Map<String, Object> failed = new LinkedHashMap<>(details);
            failed.put("error", refused.code());
            audit.record(request, who, action, server.target(), AuditLog.FAILURE, null, failed);
            throw refused;
        }
        audit.record(request, who, action, server.target(), AuditLog.SUCCESS, null, details);
    }

    /**
     * What the API answers for a panel failure. The panel's 409s become the server's state; its unavailability a 502,
     * 503 or 504 (the breaker counts those); a refusal of the request as made a 400.
     */
    static ApiException answer(PanelException failure, boolean fileOperation) {
        String detail = failure.errors().isEmpty() || failure.errors().get(0).detail() == null ? ""
                : failure.errors().get(0).detail();
        if (failure instanceof PanelException.Conflict) {
            String lower = detail.toLowerCase(java.util.Locale.ROOT);
            if (lower.contains("installation")) {
                return new ApiException(HttpStatus.CONFLICT, "SERVER_INSTALLING",
                        "The server is still installing; try again when it has finished");
            }
            if (lower.contains("suspended")) {
                return new ApiException(HttpStatus.CONFLICT, "SERVER_SUSPENDED", "The server is suspended");
            }
            return new ApiException(HttpStatus.CONFLICT, "SERVER_BUSY",
                    "The server cannot do this now (transfer, backup restore or node maintenance)",
                    Map.of("reason", detail));
        }
        if (LivePanel.serverOffline(failure)) {
            return new ApiException(HttpStatus.CONFLICT, "SERVER_OFFLINE", "The server must be running for this");
        }
        if (failure instanceof PanelException.NotFound) {
            return fileOperation ? new ApiException(HttpStatus.NOT_FOUND, "FILE_NOT_FOUND", "No such file or directory")
                    : new ApiException(HttpStatus.CONFLICT, "SERVER_NOT_ON_PANEL",
                    "The panel does not know this server");
        }
        if (failure instanceof PanelException.Validation validation) {
            return ApiException.badRequest("PANEL_VALIDATION", "The panel refused the request: " + detail,
                    Map.of("violations", validation.violations()));
        }
        if (failure instanceof PanelException.Rejected) {
            return ApiException.badRequest("PANEL_REJECTED", detail.isEmpty() ? "The panel refused the request" : detail,
                    Map.of());
        }
        if (failure instanceof PanelException.Unavailable unavailable) {
            if (unavailable.reason() == PanelException.Unavailable.Reason.RATE_LIMITED) {
                long seconds = Math.max(1, unavailable.retryAfter().orElse(Duration.ofSeconds(1)).toSeconds());
                return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "PANEL_BUSY",
                        "The game panel is busy; try again shortly", Map.of(),
                        Map.of("Retry-After", Long.toString(seconds)));
            }
            if (unavailable.reason() == PanelException.Unavailable.Reason.TIMEOUT) {
                return new ApiException(HttpStatus.GATEWAY_TIMEOUT, "PANEL_TIMEOUT", "The game panel did not answer in time");
            }
        }
        LOG.warn("Live panel call failed: {}", failure.getMessage());
        return new ApiException(HttpStatus.BAD_GATEWAY, "PANEL_ERROR", "The game panel failed to answer");
    }
}
