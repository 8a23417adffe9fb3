package com.admintk.orchestrator.live;

import com.admintk.orchestrator.pterodactyl.Panel;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * Bodies of the live server routes. Request fields are all optional here and checked by {@link LiveServerService}
 * after the ownership check: another customer's server answers 404 whatever the body says, so its existence does not
 * leak through a 400.
 */
public final class LiveViews {

    private LiveViews() {
    }

    // ---- requests ------------------------------------------------------------------------------------------------

    /** {@code signal}: start, stop, restart or kill. */
    @Serdeable
    public record PowerRequest(@Nullable @Size(max = 16) String signal) {
    }

    @Serdeable
    public record CommandRequest(@Nullable String command) {
    }

    /** {@code files} are named relative to {@code root} (default {@code /}); directories go with their content. */
    @Serdeable
    public record DeleteFilesRequest(@Nullable String root,
                                     @Nullable @Size(max = LiveServerService.MAX_FILES_PER_CALL) List<String> files) {
    }

    @Serdeable
    public record RenameFilesRequest(@Nullable String root,
                                     @Nullable @Size(max = LiveServerService.MAX_FILES_PER_CALL)
                                     List<@Valid Rename> files) {
    }

    /** A rename or a move; both paths relative to the request's root. */
    @Serdeable
    public record Rename(@Nullable String from, @Nullable String to) {
    }

    // ---- answers -------------------------------------------------------------------------------------------------

    /**
     * The panel's last reading (it caches it for up to 20 s). {@code state}: offline, starting, running, stopping.
     */
    @Serdeable
    public record Resources(String serverId, String state, boolean suspended, long memoryBytes, double cpuAbsolute,
                            long diskBytes, long networkRxBytes, long networkTxBytes, long uptimeMillis) {
        static Resources of(String serverId, Panel.Resources panel) {
            Panel.Usage usage = panel.resources();
            return usage == null
                    ? new Resources(serverId, panel.currentState(), panel.isSuspended(), 0, 0, 0, 0, 0, 0)
                    : new Resources(serverId, panel.currentState(), panel.isSuspended(), usage.memoryBytes(),
                    usage.cpuAbsolute(), usage.diskBytes(), usage.networkRxBytes(), usage.networkTxBytes(),
                    usage.uptime());
        }
    }

    /** One directory: {@code path} normalised, entries directories first as the panel lists them. */
    @Serdeable
    public record Directory(String serverId, String path, List<FileEntry> entries) {
    }

    /** {@code path} is the entry's full path from the server root, ready to pass back to the other file routes. */
    @Serdeable
    public record FileEntry(String name, String path, boolean directory, boolean symlink, long size, String mode,
                            @Nullable String mimetype, @Nullable String createdAt, @Nullable String modifiedAt) {
        static FileEntry of(String directory, Panel.FileObject file) {
            String path = (ServerPaths.ROOT.equals(directory) ? "" : directory) + "/" + file.name();
            return new FileEntry(file.name(), path, !file.isFile(), file.isSymlink(), file.size(), file.mode(),
                    file.mimetype(), file.createdAt(), file.modifiedAt());
        }
    }

    /** A Wings URL the browser uses directly; valid 15 minutes. */
    @Serdeable
    public record SignedUrl(String url, @Nullable String path) {
    }
}
