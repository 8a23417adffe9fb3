package com.admintk.orchestrator.identity;

import com.admintk.orchestrator.config.ServesApi;
import com.admintk.orchestrator.error.ApiException;
import com.admintk.orchestrator.security.AuditLog;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

import java.util.List;
import java.util.Map;

/**
 * TOTP enrolment of an admin. These two routes (and logout) are all that the tokens of an admin without a second
 * factor reach ({@link SecondFactorGate}).
 */
@Controller("/api/v1/auth/totp/enrolment")
@Requires(condition = ServesApi.class)
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(Roles.ADMIN)
@Tag(name = "auth")
public class TotpEnrolmentController {

    @Serdeable
    public record ConfirmRequest(@NotBlank @Pattern(regexp = TotpService.TOTP_CODE, message = "must be a 6-digit code") String code) {
    }

    /** @param recoveryCodes each finishes one login in place of a code; shown this once */
    @Serdeable
    public record EnrolmentConfirmed(List<String> recoveryCodes, String message) {
    }

    private final TotpService totp;
    private final UserService users;
    private final AuditLog audit;

    public TotpEnrolmentController(TotpService totp, UserService users, AuditLog audit) {
        this.totp = totp;
        this.users = users;
        this.audit = audit;
    }

    @Post
    @Operation(summary = "Start TOTP enrolment (ADMIN, SUPER_ADMIN)",
            description = "A new secret, shown this once, as an otpauth:// URI and a QR code (PNG data URI) for an "
                    + "authenticator app. Starting again replaces a pending secret; an enrolled account gets 409.")
    public TotpService.EnrolmentStart start(HttpRequest<?> request, Authentication who) {
        UserRecord user = users.findById(who.getName()).orElseThrow(() -> ApiException.notFound("User"));
        TotpService.EnrolmentStart started = totp.start(user);
        audit.record(request, who, AuditLog.Actions.TOTP_ENROLMENT_STARTED, "user:" + user.id(), AuditLog.SUCCESS, null, Map.of());
        return started;
    }

    @Post("/confirm")
    @Operation(summary = "Confirm TOTP enrolment with a code",
            description = "Makes the pending secret the account's second factor, answers the one-time recovery codes "
                    + "and ends every session of the account: log in again with the password and a code.")
    public EnrolmentConfirmed confirm(HttpRequest<?> request, Authentication who, @Body @Valid ConfirmRequest body) {
        UserRecord user = users.findById(who.getName()).orElseThrow(() -> ApiException.notFound("User"));
        List<String> codes = totp.confirm(user, body.code());
        audit.record(request, who, AuditLog.Actions.TOTP_ENROLLED, "user:" + user.id(), AuditLog.SUCCESS, null,
                Map.of("recoveryCodes", codes.size()));
        return new EnrolmentConfirmed(codes, "Enrolled. Every session has ended: log in again with your password and a code.");
    }
}
