package com.admintk.orchestrator.payment;

import com.admintk.orchestrator.error.ApiException;
import com.admintk.orchestrator.identity.CurrentUser;
import com.admintk.orchestrator.identity.Roles;
import com.admintk.orchestrator.identity.UserService;
import com.admintk.orchestrator.idempotency.IdempotentRequests;
import com.admintk.orchestrator.security.AuditLog;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
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
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.AbstractMap;
import java.util.Map;

@Controller("/api/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "wallet")
public class WalletController {

    private final Wallets wallets;
    private final CurrentUser currentUser;
    private final UserService users;
    private final IdempotentRequests idempotent;
    private final AuditLog audit;

    public WalletController(Wallets wallets, CurrentUser currentUser, UserService users, IdempotentRequests idempotent,
                            AuditLog audit) {
        this.wallets = wallets;
        this.currentUser = currentUser;
        this.users = users;
        this.idempotent = idempotent;
        this.audit = audit;
    }

    @Operation(summary = "The caller's TK-Coins balance and ledger, newest first.")
    @Get("/wallet{?page,size}")
    @Secured({Roles.CLIENT, Roles.ADMIN})
    public WalletEntries wallet(@QueryValue(defaultValue = "0") @Min(0) @Max(10_000) int page,
                                @QueryValue(defaultValue = "20") @Min(1) @Max(100) int size, Authentication who) {
        return wallets.entries(currentUser.id(who), page, size);
    }

    @Operation(summary = "Admin: credits TK-Coins to a customer's wallet. Requires an Idempotency-Key header.")
    @Post(value = "/admin/wallets/{userId}/credit", consumes = MediaType.APPLICATION_JSON)
    @Secured(Roles.ADMIN)
    public HttpResponse<String> credit(HttpRequest<?> request,
                                       @PathVariable @Pattern(regexp = UserService.ID_PATTERN) String userId,
                                       @Nullable @Header("Idempotency-Key") String idempotencyKey,
                                       @Body @Valid CreditRequest body, Authentication who) {
        users.findById(userId).orElseThrow(() -> ApiException.notFound("User"));
        String scope = currentUser.id(who) + ":POST /api/v1/admin/wallets/" + userId + "/credit";
        IdempotentRequests.StoredResponse response = idempotent.run(idempotencyKey, scope, body, () -> {
            String ledgerKey = "admin-credit:" + IdempotentRequests.derivedId(scope, idempotencyKey);
            WalletEntry entry = wallets.credit(ledgerKey, userId, body.coins(), body.reason());
            audit.record(request, who, AuditLog.Actions.WALLET_CREDIT, "wallet:" + userId, AuditLog.SUCCESS, null,
                    Map.of("coins", body.coins(), "ledgerKey", ledgerKey));
            return new AbstractMap.SimpleEntry<>(HttpStatus.OK, entry);
        });
        return HttpResponse.<String>status(HttpStatus.valueOf(response.status()))
                .contentType(MediaType.APPLICATION_JSON_TYPE).body(response.body());
    }

    @Serdeable
    public record CreditRequest(@Min(1) @Max(1_000_000) long coins, @NotBlank @Size(max = 200) String reason) {
    }
}
