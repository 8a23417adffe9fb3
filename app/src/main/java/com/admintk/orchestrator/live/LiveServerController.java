package com.admintk.orchestrator.live;

import com.admintk.orchestrator.config.ServesApi;
import com.admintk.orchestrator.identity.Roles;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;

/**
 * Live operations on a running game server: power, console commands, resources and files. A CLIENT reaches only its
 * own servers (another customer's is 404); an admin any. Panel calls go through a circuit breaker: while the panel is
 * failing these routes answer 503 {@code PANEL_UNAVAILABLE} at once, with {@code Retry-After}.
 */
@Controller("/api/v1/servers/{serverId}")
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(condition = ServesApi.class)
@Requires(property = "panel.url")
@Secured({Roles.CLIENT, Roles.ADMIN})
@Tag(name = "servers")
public class LiveServerController {

    static final String SERVER_ID = "[A-Za-z0-9_-]{1,64}";

    private final LiveServerService live;

    public LiveServerController(LiveServerService live) {
        this.live = live;
    }

    @Operation(summary = "Power action: start, stop, restart or kill (204). 409 SERVER_SUSPENDED, SERVER_TERMINATED, "
            + "SERVER_INSTALLING; 503 PANEL_UNAVAILABLE while the panel is failing.")
    @Post(value = "/power", consumes = MediaType.APPLICATION_JSON)
    public HttpResponse<Void> power(HttpRequest<?> request, @PathVariable @Pattern(regexp = SERVER_ID) String serverId,
                                    @Nullable @Body @Valid LiveViews.PowerRequest body, Authentication who) {
        live.power(request, who, serverId, body);
        return HttpResponse.noContent();
    }

    @Operation(summary = "Sends one console line to the running server (204); 409 SERVER_OFFLINE when it is stopped.")
    @Post(value = "/command", consumes = MediaType.APPLICATION_JSON)
    public HttpResponse<Void> command(HttpRequest<?> request,
                                      @PathVariable @Pattern(regexp = SERVER_ID) String serverId,
                                      @Nullable @Body @Valid LiveViews.CommandRequest body, Authentication who) {
        live.command(request, who, serverId, body);
        return HttpResponse.noContent();
    }

    @Operation(summary = "CPU, memory, disk, network and power state, as the panel last read them.")
    @Get("/resources")
    public LiveViews.Resources resources(@PathVariable @Pattern(regexp = SERVER_ID) String serverId,
                                         Authentication who) {
        return live.resources(who, serverId);
    }

    @Operation(summary = "The entries of one directory (default: the server root).")
    @Get("/files{?directory}")
    public LiveViews.Directory files(@PathVariable @Pattern(regexp = SERVER_ID) String serverId,
                                     @Nullable @QueryValue String directory, Authentication who) {
        return live.listFiles(who, serverId, directory);
    }

    @Operation(summary = "A file's text (text/plain, at most 4 MiB).")
    @Get(value = "/files/contents{?file}", produces = MediaType.TEXT_PLAIN)
    public String contents(@PathVariable @Pattern(regexp = SERVER_ID) String serverId,
                           @Nullable @QueryValue String file, Authentication who) {
        return live.fileContents(who, serverId, file);
    }

    @Operation(summary = "Creates or replaces a file with the request body (204). Send it as text/plain or "
            + "application/octet-stream: a JSON content type is checked as a JSON request. Larger files: upload URL.")
    @Post(value = "/files/write{?file}",
            consumes = {MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM, MediaType.APPLICATION_JSON})
    public HttpResponse<Void> write(HttpRequest<?> request,
                                    @PathVariable @Pattern(regexp = SERVER_ID) String serverId,
                                    @Nullable @QueryValue String file, @Nullable @Body byte[] content,
                                    Authentication who) {
        live.writeFile(request, who, serverId, file, content);
        return HttpResponse.noContent();
    }

    @Operation(summary = "Deletes files and directories named relative to root (204).")
    @Post(value = "/files/delete", consumes = MediaType.APPLICATION_JSON)
    public HttpResponse<Void> delete(HttpRequest<?> request,
                                     @PathVariable @Pattern(regexp = SERVER_ID) String serverId,
                                     @Nullable @Body @Valid LiveViews.DeleteFilesRequest body, Authentication who) {
        live.deleteFiles(request, who, serverId, body);
        return HttpResponse.noContent();
    }

    @Operation(summary = "Renames or moves files named relative to root (204).")
    @Put(value = "/files/rename", consumes = MediaType.APPLICATION_JSON)
    public HttpResponse<Void> rename(HttpRequest<?> request,
                                     @PathVariable @Pattern(regexp = SERVER_ID) String serverId,
                                     @Nullable @Body @Valid LiveViews.RenameFilesRequest body, Authentication who) {
        live.renameFiles(request, who, serverId, body);
        return HttpResponse.noContent();
    }

    @Operation(summary = "A signed URL (15 minutes) to upload files straight to the node.")
    @Get("/files/upload-url")
    public LiveViews.SignedUrl uploadUrl(@PathVariable @Pattern(regexp = SERVER_ID) String serverId,
                                         Authentication who) {
        return live.uploadUrl(who, serverId);
    }

    @Operation(summary = "A signed URL (15 minutes) that downloads one file straight from the node.")
    @Get("/files/download-url{?file}")
    public LiveViews.SignedUrl downloadUrl(@PathVariable @Pattern(regexp = SERVER_ID) String serverId,
                                           @Nullable @QueryValue String file, Authentication who) {
        return live.downloadUrl(who, serverId, file);
    }
}
