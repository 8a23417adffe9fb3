package com.admintk.orchestrator.identity;

import com.admintk.orchestrator.config.ServesApi;
import com.admintk.orchestrator.identity.ServiceAccountRepository.ApiKey;
import com.admintk.orchestrator.security.AuditLog;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
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
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The store's API keys, managed by a SUPER_ADMIN. A key is in the answer that makes it, and nowhere else. */
@Controller("/api/v1/admin/service-accounts")
@Requires(condition = ServesApi.class)
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(Roles.SUPER_ADMIN)
@Tag(name = "admin")
public class ServiceAccountController {

    /** The longest overlap a rotation may ask for: 30 days. */
    static final int MAX_OVERLAP_SECONDS = 30 * 24 * 3600;

    @Serdeable
    public record NewServiceAccount(@NotBlank @Size(max = 100) @Pattern(regexp = AccountController.NAME) String name) {
    }

    @Serdeable
    public record Rotation(@Nullable @Min(0) @Max(MAX_OVERLAP_SECONDS) Integer overlapSeconds) {
    }

    @Serdeable
    public record KeyView(String keyId, @Nullable String prefix, @Nullable Instant createdAt, @Nullable Instant expiresAt) {
        static KeyView of(ApiKey key) {
            return new KeyView(key.keyId(), key.prefix(), key.createdAt(), key.expiresAt());
        }
    }

    @Serdeable
    public record AccountView(String id, String name, Set<String> roles, List<KeyView> keys) {
        static AccountView of(ServiceAccountService.Account account) {
            return new AccountView(account.id(), account.name(), account.roles(),
                    account.keys().stream().map(KeyView::of).toList());
        }
    }

    /** A new key: {@code apiKey} is shown this once; older keys stop at {@code previousKeysExpireAt}. */
    @Serdeable
    public record IssuedKeyView(AccountView account, String apiKey, String keyId, @Nullable Instant previousKeysExpireAt) {
        static IssuedKeyView of(ServiceAccountService.IssuedKey issued) {
            return new IssuedKeyView(AccountView.of(issued.account()), issued.apiKey(), issued.keyId(),
                    issued.previousKeysExpireAt());
        }
    }

    @Serdeable
    public record AccountList(List<AccountView> items) {
    }

    private final ServiceAccountService accounts;
    private final AccountSettings settings;
    private final AuditLog audit;

    public ServiceAccountController(ServiceAccountService accounts, AccountSettings settings, AuditLog audit) {
        this.accounts = accounts;
        this.settings = settings;
        this.audit = audit;
    }

    @Post
    @Operation(summary = "Create a store service account and its first API key (SUPER_ADMIN)",
            description = "The key is in this answer only; it is stored as a hash")
    public HttpResponse<IssuedKeyView> create(HttpRequest<?> request, Authentication who, @Body @Valid NewServiceAccount body) {
        ServiceAccountService.IssuedKey issued = accounts.create(body.name().trim());
        audit.record(request, who, "SERVICE_ACCOUNT_CREATED", "service-account:" + issued.account().id(), AuditLog.SUCCESS,
                null, Map.of("keyId", issued.keyId()));
        return HttpResponse.created(IssuedKeyView.of(issued));
    }

    @Get
    @Operation(summary = "List service accounts and their usable keys (SUPER_ADMIN)")
    public AccountList list() {
        return new AccountList(accounts.list().stream().map(AccountView::of).toList());
    }

    @Post("/{id}/rotate")
    @Operation(summary = "Issue a new API key (SUPER_ADMIN)",
            description = "Older keys keep working for overlapSeconds (default API_KEY_ROTATION_OVERLAP), then get 401")
    public IssuedKeyView rotate(HttpRequest<?> request, Authentication who,
                                @PathVariable @Pattern(regexp = ServiceAccountService.ID_PATTERN, message = "is not a service account id") String id,
                                @Body @Valid Rotation body) {
        Duration overlap = body.overlapSeconds() == null ? settings.apiKeyOverlap() : Duration.ofSeconds(body.overlapSeconds());
        ServiceAccountService.IssuedKey issued = accounts.rotate(id, overlap);
        audit.record(request, who, "SERVICE_ACCOUNT_KEY_ROTATED", "service-account:" + id, AuditLog.SUCCESS, null,
                Map.of("keyId", issued.keyId(), "overlapSeconds", overlap.toSeconds()));
        return IssuedKeyView.of(issued);
    }

    @Post("/{id}/revoke")
    @Operation(summary = "Revoke a service account: every key stops working now (SUPER_ADMIN)")
    public AccountView revoke(HttpRequest<?> request, Authentication who,
                              @PathVariable @Pattern(regexp = ServiceAccountService.ID_PATTERN, message = "is not a service account id") String id) {
        ServiceAccountService.Account revoked = accounts.revoke(id);
        audit.record(request, who, "SERVICE_ACCOUNT_REVOKED", "service-account:" + id, AuditLog.SUCCESS, null, Map.of());
        return AccountView.of(revoked);
    }
}
