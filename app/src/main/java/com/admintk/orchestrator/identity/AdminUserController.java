package com.admintk.orchestrator.identity;

import com.admintk.orchestrator.config.ServesApi;
import com.admintk.orchestrator.error.ApiException;
import com.admintk.orchestrator.security.AuditLog;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;
import java.util.Map;
import java.util.Set;

@Controller("/api/v1/admin/users")
@Requires(condition = ServesApi.class)
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(Roles.ADMIN)
@Tag(name = "admin")
public class AdminUserController {

    @Serdeable
    public record UserView(String id, String email, Set<String> roles) {
        static UserView of(UserRecord user) {
            return new UserView(user.id(), user.email(), user.roles());
        }
    }

    @Serdeable
    public record UserPage(List<UserView> items, int page, int size, long total) {
    }

    @Serdeable
    public record RolesUpdate(@NotNull @NotEmpty @Size(max = 3)
                              Set<@NotNull @Pattern(regexp = "CLIENT|ADMIN|SUPER_ADMIN", message = "must be CLIENT, ADMIN or SUPER_ADMIN") String> roles) {
    }

    private final UserService users;
    private final TokenService tokens;
    private final AuditLog audit;

    public AdminUserController(UserService users, TokenService tokens, AuditLog audit) {
        this.users = users;
        this.tokens = tokens;
        this.audit = audit;
    }

    @Get
    @Operation(summary = "List users (ADMIN)")
    public UserPage list(@Nullable @QueryValue @Min(0) @Max(10000) Integer page,
                         @Nullable @QueryValue @Min(1) @Max(200) Integer size) {
        int p = page == null ? 0 : page;
        int s = size == null ? 50 : size;
        return new UserPage(users.list(p, s).stream().map(UserView::of).toList(), p, s, users.count());
    }

    @Put("/{id}/roles")
    @Secured(Roles.SUPER_ADMIN)
    @Operation(summary = "Replace a user's roles (SUPER_ADMIN)", description = "The user's sessions are revoked so the new roles apply at the next login")
    public UserView setRoles(HttpRequest<?> request, Authentication who,
                             @PathVariable @Pattern(regexp = UserService.ID_PATTERN, message = "is not a user id") String id,
                             @Body @Valid RolesUpdate body) {
        UserRecord before = users.findById(id).orElseThrow(() -> ApiException.notFound("User"));
        if (id.equals(who.getName()) && !body.roles().contains(Roles.SUPER_ADMIN)) {
            throw new ApiException(HttpStatus.CONFLICT, "SELF_DEMOTION", "A super admin cannot remove their own SUPER_ADMIN role",
                    Map.of("field", "roles"));
        }
        UserRecord after = users.setRoles(id, body.roles());
        tokens.revokeAll(id);
        audit.record(request, who, AuditLog.Actions.ROLES_CHANGED, "user:" + id, AuditLog.SUCCESS, null,
                Map.of("before", List.copyOf(before.roles()), "after", List.copyOf(after.roles())));
        return UserView.of(after);
    }
}
