package com.admintk.orchestrator.identity;

import com.admintk.orchestrator.config.ServesApi;
import com.admintk.orchestrator.error.ApiException;
import com.admintk.orchestrator.security.AuditLog;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
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
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
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
    public record UserView(String id, String email, @Nullable String name, Set<String> roles, String status,
                           @Nullable String externalCustomerId, @Nullable java.time.Instant createdAt) {
        static UserView of(UserRecord user) {
            return new UserView(user.id(), user.email(), user.name(), user.roles(), user.status(), user.externalId(),
                    user.createdAt());
        }
    }

    @Serdeable
    public record NewUser(@NotBlank @Email @Size(max = 254) String email,
                          @NotBlank @Size(max = 100) @Pattern(regexp = AccountController.NAME) String name,
                          @NotBlank @Size(min = 10, max = 200) String password,
                          @NotNull @NotEmpty @Size(max = 3)
                          Set<@NotNull @Pattern(regexp = "CLIENT|ADMIN|SUPER_ADMIN", message = "must be CLIENT, ADMIN or SUPER_ADMIN") String> roles) {
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

    @Get("{?role,status,email,page,size}")
    @Operation(summary = "List users (ADMIN)", description = "Filters: role, status (ACTIVE, DISABLED, UNVERIFIED), email (contains); paged")
    public UserPage list(@Nullable @QueryValue @Pattern(regexp = "CLIENT|ADMIN|SUPER_ADMIN", message = "must be CLIENT, ADMIN or SUPER_ADMIN") String role,
                         @Nullable @QueryValue @Pattern(regexp = "ACTIVE|DISABLED|UNVERIFIED", message = "must be ACTIVE, DISABLED or UNVERIFIED") String status,
                         @Nullable @QueryValue @Size(min = 1, max = 254) String email,
                         @Nullable @QueryValue @Min(0) @Max(10000) Integer page,
                         @Nullable @QueryValue @Min(1) @Max(200) Integer size) {
        int p = page == null ? 0 : page;
        int s = size == null ? 50 : size;
        UserRepository.Query query = new UserRepository.Query(role, status, email);
        return new UserPage(users.find(query, p, s).stream().map(UserView::of).toList(), p, s, users.count(query));
    }

    @Post
    @Operation(summary = "Create a user (ADMIN; staff roles need SUPER_ADMIN)",
            description = "The account is verified at once; 409 EMAIL_TAKEN when the email has an account")
    public HttpResponse<UserView> create(HttpRequest<?> request, Authentication who, @Body @Valid NewUser body) {
        requireMayManage(who, body.roles());
        PasswordHasher.requireHashable(body.password());
        UserRecord user = users.create(body.email(), body.name().trim(), body.password(), body.roles(), true)
                .orElseThrow(() -> new ApiException(HttpStatus.CONFLICT, "EMAIL_TAKEN", "Another account already uses this email",
                        Map.of("field", "email")));
        audit.record(request, who, AuditLog.Actions.USER_CREATED, "user:" + user.id(), AuditLog.SUCCESS, null,
                Map.of("roles", List.copyOf(user.roles())));
        return HttpResponse.created(UserView.of(user));
    }

    @Post("/{id}/disable")
    @Operation(summary = "Disable a user (ADMIN; staff accounts need SUPER_ADMIN)",
            description = "Logins are refused and every live token and session of the user stops working at once")
    public UserView disable(HttpRequest<?> request, Authentication who,
                            @PathVariable @Pattern(regexp = UserService.ID_PATTERN, message = "is not a user id") String id) {
        UserRecord target = users.findById(id).orElseThrow(() -> ApiException.notFound("User"));
        if (id.equals(who.getName())) {
            throw new ApiException(HttpStatus.CONFLICT, "SELF_DISABLE", "You cannot disable your own account");
        }
        requireMayManage(who, target.roles());
        UserRecord after = users.setDisabled(id, true);
        long sessions = tokens.revokeAll(id);
        audit.record(request, who, "USER_DISABLED", "user:" + id, AuditLog.SUCCESS, null, Map.of("sessionsRevoked", sessions));
        return UserView.of(after);
    }

    @Post("/{id}/enable")
    @Operation(summary = "Enable a disabled user (ADMIN; staff accounts need SUPER_ADMIN)")
    public UserView enable(HttpRequest<?> request, Authentication who,
                           @PathVariable @Pattern(regexp = UserService.ID_PATTERN, message = "is not a user id") String id) {
        UserRecord target = users.findById(id).orElseThrow(() -> ApiException.notFound("User"));
        requireMayManage(who, target.roles());
        UserRecord after = users.setDisabled(id, false);
        audit.record(request, who, "USER_ENABLED", "user:" + id, AuditLog.SUCCESS, null, Map.of());
        return UserView.of(after);
    }

    /** An ADMIN manages customers; staff accounts (ADMIN, SUPER_ADMIN) are the SUPER_ADMIN's to manage. */
    private static void requireMayManage(Authentication who, Set<String> targetRoles) {
        boolean staff = targetRoles.contains(Roles.ADMIN) || targetRoles.contains(Roles.SUPER_ADMIN);
        if (staff && !who.getRoles().contains(Roles.SUPER_ADMIN)) {
            throw new ApiException(HttpStatus.FORBIDDEN, "FORBIDDEN", "Only a super admin manages staff accounts");
        }
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
