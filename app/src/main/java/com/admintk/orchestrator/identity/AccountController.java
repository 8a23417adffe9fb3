package com.admintk.orchestrator.identity;

import com.admintk.orchestrator.config.ServesApi;
import com.admintk.orchestrator.error.ApiException;
import com.admintk.orchestrator.security.AuditLog;
import com.admintk.orchestrator.security.LoginThrottle;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.Map;

/** Self-service for the customer dashboard: register, verify the email, reset or change the password. */
@Controller("/api/v1/auth")
@Requires(condition = ServesApi.class)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "auth")
public class AccountController {

    static final String NAME = "[\\p{L}\\p{M}\\p{N} .,'_-]+";
    static final String RESET_TOKEN = "prt_[A-Za-z0-9_-]{43}";
    static final String VERIFY_TOKEN = "[A-Za-z0-9_-]{10,600}\\.[A-Za-z0-9_-]{43}";

    @Serdeable
    public record RegisterRequest(@NotBlank @Email @Size(max = 254) String email,
                                  @NotBlank @Size(min = 10, max = 200) String password,
                                  @NotBlank @Size(max = 100) @Pattern(regexp = NAME) String name) {
    }

    @Serdeable
    public record ForgotRequest(@NotBlank @Email @Size(max = 254) String email) {
    }

    @Serdeable
    public record ResetRequest(@NotBlank @Pattern(regexp = RESET_TOKEN, message = "is not a reset token") String token,
                               @NotBlank @Size(min = 10, max = 200) String password) {
    }

    @Serdeable
    public record ChangeRequest(@NotBlank @Size(max = 200) String currentPassword,
                                @NotBlank @Size(min = 10, max = 200) String newPassword) {
    }

    @Serdeable
    public record Accepted(String status, String message) {
    }

    @Serdeable
    public record Verified(String id, String email, boolean verified) {
    }

    private final AccountService accounts;
    private final AuditLog audit;
    private final LoginThrottle throttle;

    public AccountController(AccountService accounts, AuditLog audit, LoginThrottle throttle) {
        this.accounts = accounts;
        this.audit = audit;
        this.throttle = throttle;
    }

    @Post("/register")
    @Secured(SecurityRule.IS_ANONYMOUS)
    @Operation(summary = "Register a customer account",
            description = "Always 202, whether or not the email has an account: the link to verify it goes to the mailbox")
    public HttpResponse<Accepted> register(HttpRequest<?> request, @Body @Valid RegisterRequest body) {
        String email = UserService.normalize(body.email());
        throttle.requireAllowed("register:" + email);
        accounts.register(email, body.name().trim(), body.password());
        audit.recordAs(request, "anonymous", "ACCOUNT_REGISTERED", "email:" + email, AuditLog.SUCCESS, Map.of());
        return HttpResponse.accepted().body(new Accepted("VERIFICATION_SENT",
                "Check your mailbox: follow the link we sent to confirm your email address"));
    }

    @Get("/verify{?token}")
    @Secured(SecurityRule.IS_ANONYMOUS)
    @Operation(summary = "Verify an email address (the emailed link)")
    public Verified verifyLink(HttpRequest<?> request, @Nullable @QueryValue @NotBlank @Size(max = 700) String token) {
        return verify(request, token);
    }

    @Post("/verify{?token}")
    @Secured(SecurityRule.IS_ANONYMOUS)
    @Operation(summary = "Verify an email address (token from the emailed link)")
    public Verified verifyPost(HttpRequest<?> request, @Nullable @QueryValue @NotBlank @Size(max = 700) String token) {
        return verify(request, token);
    }

    private Verified verify(HttpRequest<?> request, String token) {
        if (token == null || !token.matches(VERIFY_TOKEN)) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "INVALID_TOKEN", "The token is invalid, used or expired",
                    Map.of("field", "token"));
        }
        UserRecord user = accounts.verify(token);
        audit.recordAs(request, user.id(), "EMAIL_VERIFIED", "user:" + user.id(), AuditLog.SUCCESS, Map.of());
        return new Verified(user.id(), user.email(), true);
    }

    @Post("/password/forgot")
    @Secured(SecurityRule.IS_ANONYMOUS)
    @Operation(summary = "Email a one-time password reset token",
            description = "Always 202, whether or not the email has an account")
    public HttpResponse<Accepted> forgot(HttpRequest<?> request, @Body @Valid ForgotRequest body) {
        String email = UserService.normalize(body.email());
        throttle.requireAllowed("forgot:" + email);
        accounts.forgotPassword(email).ifPresent(user ->
                audit.recordAs(request, "anonymous", "PASSWORD_RESET_REQUESTED", "user:" + user.id(), AuditLog.SUCCESS, Map.of()));
        return HttpResponse.accepted().body(new Accepted("RESET_SENT",
                "If this email has an account, a reset link is on its way"));
    }

    @Post("/password/reset")
    @Secured(SecurityRule.IS_ANONYMOUS)
    @Operation(summary = "Set a new password with an emailed reset token",
            description = "The token works once; every session of the account ends")
    public HttpResponse<Void> reset(HttpRequest<?> request, @Body @Valid ResetRequest body) {
        UserRecord user;
        try {
            user = accounts.resetPassword(body.token(), body.password());
        } catch (ApiException e) {
            audit.recordAs(request, "anonymous", "PASSWORD_RESET", "token", AuditLog.FAILURE, Map.of("code", e.code()));
            throw e;
        }
        audit.recordAs(request, user.id(), "PASSWORD_RESET", "user:" + user.id(), AuditLog.SUCCESS, Map.of("sessions", "revoked"));
        return HttpResponse.noContent();
    }

    @Post("/password/change")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    @Operation(summary = "Change the caller's password", description = "Every session of the caller ends, this one too: log in again")
    public HttpResponse<Void> change(HttpRequest<?> request, Authentication who, @Body @Valid ChangeRequest body) {
        if ("service".equals(who.getAttributes().get("kind"))) {
            throw new ApiException(HttpStatus.FORBIDDEN, "FORBIDDEN", "Service accounts have no password");
        }
        throttle.requireAllowed("change:" + who.getName());
        try {
            accounts.changePassword(who.getName(), body.currentPassword(), body.newPassword());
        } catch (ApiException e) {
            audit.record(request, who, "PASSWORD_CHANGED", "user:" + who.getName(), AuditLog.FAILURE, null, Map.of("code", e.code()));
            throw e;
        }
        audit.record(request, who, "PASSWORD_CHANGED", "user:" + who.getName(), AuditLog.SUCCESS, null, Map.of("sessions", "revoked"));
        return HttpResponse.noContent();
    }
}
