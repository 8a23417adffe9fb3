package com.admintk.orchestrator.wallet;

import com.admintk.orchestrator.identity.Roles;
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
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

import java.util.Map;

@Controller("/api/v1/wallet/top-ups")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "wallet")
public class TopUpController {

    static final String TOP_UP_ID = "top_[0-9a-f]{24}";

    private final TopUpService topUps;
    private final AuditLog audit;

    public TopUpController(TopUpService topUps, AuditLog audit) {
        this.topUps = topUps;
        this.audit = audit;
    }

    @Operation(summary = "Buys TK-Coins by card for the caller's wallet. Requires an Idempotency-Key header; answers 202.",
            description = "coins must lie within the configured bounds (400 TOP_UP_COINS_OUT_OF_RANGE otherwise). "
                    + "Poll the top-up until payment.status is AWAITING_CUSTOMER and confirm the payment with "
                    + "payment.clientSecret; the coins are credited once, when Stripe's webhook says it was paid.")
    @Post(consumes = MediaType.APPLICATION_JSON)
    // Admins pass the security rule so that the second-factor gate answers them first; the service refuses them.
    @Secured({Roles.CLIENT, Roles.ADMIN})
    public HttpResponse<String> start(HttpRequest<?> request,
                                      @Nullable @Header("Idempotency-Key") String idempotencyKey,
                                      @Body NewTopUp body, Authentication who) {
        IdempotentRequests.StoredResponse response = topUps.start(who, idempotencyKey, body, accepted ->
                audit.record(request, who, AuditLog.Actions.WALLET_TOP_UP, "top-up:" + accepted.topUpId(),
                        AuditLog.SUCCESS, TopUpIds.workflowId(accepted.topUpId()),
                        Map.of("coins", accepted.coins(), "amountMinor", accepted.amountMinor(),
                                "currency", accepted.currency())));
        return HttpResponse.<String>status(HttpStatus.valueOf(response.status()))
                .contentType(MediaType.APPLICATION_JSON_TYPE).body(response.body());
    }

    @Operation(summary = "A top-up with its card payment (the client secret while it awaits the customer).")
    @Get("/{topUpId}")
    @Secured({Roles.CLIENT, Roles.ADMIN})
    public TopUpViews.TopUp get(@PathVariable @Pattern(regexp = TOP_UP_ID) String topUpId, Authentication who) {
        return topUps.get(who, topUpId);
    }

    @Operation(summary = "Top-ups, newest first: a client's own, or all for an admin (filter by customerId, status).")
    @Get("{?customerId,status,page,size}")
    @Secured({Roles.CLIENT, Roles.ADMIN})
    public TopUpViews.Page list(@Nullable @QueryValue @Pattern(regexp = "usr_[0-9a-f]{24}") String customerId,
                                @Nullable @QueryValue @Pattern(regexp = "PENDING|CREDITED|FAILED") String status,
                                @QueryValue(defaultValue = "0") @Min(0) @Max(10_000) int page,
                                @QueryValue(defaultValue = "20") @Min(1) @Max(100) int size,
                                Authentication who) {
        return topUps.list(who, customerId, status == null ? null : TopUpStatus.valueOf(status), page, size);
    }
}
