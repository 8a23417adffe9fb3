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
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.Map;
import java.util.Set;

@Controller("/api/v1/auth")
@Requires(condition = ServesApi.class)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "auth")
public class AuthController {

    static final String REFRESH_TOKEN = "rt_[A-Za-z0-9_-]{43}";

    @Serdeable
    public record LoginRequest(@NotBlank @Email @Size(max = 254) String email,
                               @NotBlank @Size(max = 200) String password) {
    }

    @Serdeable
    public record RefreshRequest(@NotBlank @Pattern(regexp = REFRESH_TOKEN, message = "is not a refresh token") String refreshToken) {
    }

    @Serdeable
    public record LogoutRequest(@NotBlank @Pattern(regexp = REFRESH_TOKEN, message = "is not a refresh token") String refreshToken) {
    }

    @Serdeable
    public record Me(String id, String email, Set<String> roles) {
    }

    /** The password step of an admin with a second factor: no tokens yet, only the ticket for the code step. */
    @Serdeable
    public record MfaChallenge(boolean mfaRequired, String mfaToken, long expiresIn) {
    }

    @Serdeable
    public record TotpLoginRequest(@NotBlank @Pattern(regexp = "mfa_[A-Za-z0-9_-]{43}", message = "is not an mfa token") String mfaToken,
                                   @NotBlank @Pattern(regexp = TotpService.TOTP_CODE + "|" + TotpService.RECOVERY_CODE,
                                           message = "must be a 6-digit code or a recovery code") String code) {
    }

    private final UserService users;
    private final TokenService tokens;
    private final AuditLog audit;
    private final LoginThrottle loginThrottle;
    private final TotpService totp;

    public AuthController(UserService users, TokenService tokens, AuditLog audit, LoginThrottle loginThrottle,
                          TotpService totp) {
        this.users = users;
        this.tokens = tokens;
        this.audit = audit;
        this.loginThrottle = loginThrottle;
        this.totp = totp;
    }

    @Post("/login")
    @Secured(SecurityRule.IS_ANONYMOUS)
    @Operation(summary = "Log in with email and password",
            description = "Returns a 15-minute access token and a 7-day refresh token. An ADMIN or SUPER_ADMIN with a "
                    + "second factor gets {\"mfaRequired\":true,\"mfaToken\":\"…\"} instead and finishes with "
                    + "POST /api/v1/auth/login/totp; one without gets tokens that reach only the TOTP enrolment routes.")
    @ApiResponse(responseCode = "200", description = "Tokens, or the second step's mfa token",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(oneOf = {TokenService.TokenPair.class, MfaChallenge.class})))
    public HttpResponse<Object> login(HttpRequest<?> request, @Body @Valid LoginRequest body) {
        String email = UserService.normalize(body.email());
        try {
            PasswordHasher.requireHashable(body.password());
        } catch (ApiException tooLong) {
            audit.recordAs(request, email, AuditLog.Actions.LOGIN_FAILED, "user:" + email, AuditLog.FAILURE,
                    Map.of("reason", "password too long"));
            throw tooLong;
        }
        loginThrottle.requireAllowed(email);
        UserRecord user = users.authenticate(body.email(), body.password()).orElse(null);
        if (user == null) {
            audit.recordAs(request, email, AuditLog.Actions.LOGIN_FAILED, "user:" + email, AuditLog.FAILURE, Map.of());
            throw new ApiException(HttpStatus.UNAUTHORIZED, "INVALID_CREDENTIALS", "Email or password is wrong");
        }
        if (TotpService.required(user.roles()) && totp.enrolled(user.id())) {
            String mfaToken = totp.challenge(user);
            audit.record(request, tokens.authenticationOf(user), AuditLog.Actions.LOGIN_SECOND_FACTOR_REQUIRED,
                    "user:" + user.id(), AuditLog.SUCCESS, null, Map.of());
            return HttpResponse.ok(new MfaChallenge(true, mfaToken, totp.challengeSeconds()));
        }
        TokenService.TokenPair pair = tokens.issue(user);
        audit.record(request, tokens.authenticationOf(user), AuditLog.Actions.LOGIN, "user:" + user.id(), AuditLog.SUCCESS, null,
                TotpService.required(user.roles()) ? Map.of("secondFactor", "enrolment required") : Map.of());
        return HttpResponse.ok(pair);
    }

    @Post("/login/totp")
    @Secured(SecurityRule.IS_ANONYMOUS)
    @Operation(summary = "Second step of an admin login",
            description = "The mfa token from POST /api/v1/auth/login and a code from the authenticator (or an unused "
                    + "recovery code). A wrong code, a code of a time step already used, or a spent mfa token is 401.")
    public TokenService.TokenPair loginWithCode(HttpRequest<?> request, @Body @Valid TotpLoginRequest body) {
        TotpService.SecondFactorAccepted accepted;
        try {
            accepted = totp.completeLogin(body.mfaToken(), body.code());
        } catch (TotpService.SecondFactorRefused refused) {
            String actor = refused.userId() == null ? "anonymous" : refused.userId();
            audit.recordAs(request, actor, AuditLog.Actions.LOGIN_FAILED,
                    refused.userId() == null ? null : "user:" + refused.userId(), AuditLog.FAILURE,
                    Map.of("reason", refused.reason()));
            throw refused;
        }
        UserRecord user = accepted.user();
        TokenService.TokenPair pair = tokens.issueAfterSecondFactor(user);
        audit.record(request, tokens.authenticationOf(user), AuditLog.Actions.LOGIN, "user:" + user.id(), AuditLog.SUCCESS,
                null, Map.of("secondFactor", accepted.method()));
        return pair;
    }

    @Post("/refresh")
    @Secured(SecurityRule.IS_ANONYMOUS)
    @Operation(summary = "Exchange a refresh token for a new pair", description = "The presented token is retired; presenting it again revokes its whole family")
    public TokenService.TokenPair refresh(HttpRequest<?> request, @Body @Valid RefreshRequest body) {
        try {
            return tokens.refresh(body.refreshToken());
        } catch (TokenService.ReuseDetected e) {
            audit.recordAs(request, e.userId(), AuditLog.Actions.TOKEN_REUSE_DETECTED, "token-family:" + e.familyId(),
                    AuditLog.DENIED, Map.of("revoked", "family"));
            throw e;
        }
    }

    @Post("/logout")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    @Operation(summary = "Revoke a session", description = "Revokes the family (this session and every token rotated from it) of the given refresh token")
    public HttpResponse<Void> logout(HttpRequest<?> request, Authentication who, @Body @Valid LogoutRequest body) {
        // another user's token (or an unknown one) is ignored silently: the answer must not tell them apart
        tokens.find(body.refreshToken()).filter(t -> t.userId().equals(who.getName())).ifPresent(t -> {
            tokens.revokeFamily(t.familyId());
            audit.record(request, who, AuditLog.Actions.TOKEN_REVOKED, "token-family:" + t.familyId(), AuditLog.SUCCESS, null, Map.of());
        });
        return HttpResponse.noContent();
    }

    @Get("/me")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    @Operation(summary = "The caller's identity")
    public Me me(Authentication who) {
        UserRecord user = users.findById(who.getName()).orElseThrow(() -> ApiException.notFound("User"));
        return new Me(user.id(), user.email(), Roles.effective(user.roles()));
    }
}
