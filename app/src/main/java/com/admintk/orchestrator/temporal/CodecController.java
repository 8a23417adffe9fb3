package com.admintk.orchestrator.temporal;

import com.admintk.orchestrator.config.ServesApi;
import com.admintk.orchestrator.error.ApiException;
import com.admintk.orchestrator.identity.Roles;
import com.admintk.orchestrator.security.PayloadEncryptionCodec;
import com.google.protobuf.ByteString;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.server.cors.CrossOrigin;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.temporal.api.common.v1.Payload;
import io.temporal.payload.codec.PayloadCodecException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Temporal's codec-server protocol, so the Web UI (and {@code temporal --codec-endpoint}) show operators the
 * payloads that {@link PayloadEncryptionCodec} encrypts in every history. Point the UI's
 * {@code TEMPORAL_CODEC_ENDPOINT} at {@code <api>/api/v1/admin/temporal-codec}; it posts to {@code /decode} and
 * {@code /encode}. Bodies are proto3 JSON: {@code {"payloads":[{"metadata":{"encoding":"<base64>"},"data":"<base64>"}]}}.
 * ADMIN only (the {@code /api/v1/admin} rule and {@code @Secured}); cross-origin calls are allowed from the Web UI's
 * origin ({@code TEMPORAL_UI_URL}) alone, with the bearer token in {@code Authorization}.
 */
@Controller("/api/v1/admin/temporal-codec")
@Requires(condition = ServesApi.class)
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(Roles.ADMIN)
@CrossOrigin(allowedOrigins = "${temporal.ui-url}", allowedMethods = HttpMethod.POST,
        allowedHeaders = {"Authorization", "Content-Type", "X-Namespace"}, allowCredentials = false, maxAge = 3600)
@Tag(name = "admin")
public class CodecController {

    private static final Logger LOG = LoggerFactory.getLogger(CodecController.class);
    static final int MAX_PAYLOADS = 1000;

    /** One payload in proto3 JSON: every bytes field, each metadata value and the data, is base64. */
    @Serdeable
    public record CodecPayload(@Nullable Map<String, String> metadata, @Nullable String data) {
    }

    @Serdeable
    public record CodecPayloads(@NotNull @Size(max = MAX_PAYLOADS) List<@NotNull CodecPayload> payloads) {
    }

    private final PayloadEncryptionCodec codec;

    public CodecController(PayloadEncryptionCodec codec) {
        this.codec = codec;
    }

    @Post("/decode")
    @Operation(summary = "Admin: decrypts Temporal payloads for the Web UI (Temporal codec-server protocol). "
            + "Answers the same shape with each payload as the workflow saw it; payloads that were never encrypted "
            + "come back unchanged.")
    public CodecPayloads decode(@Body @Valid CodecPayloads body, Authentication who) {
        CodecPayloads decoded = apply(body, codec::decode);
        LOG.info("{} decoded {} Temporal payload(s)", who.getName(), body.payloads().size());
        return decoded;
    }

    @Post("/encode")
    @Operation(summary = "Admin: encrypts payloads the Web UI or CLI sends to Temporal (signal or start input), "
            + "under the active key (Temporal codec-server protocol).")
    public CodecPayloads encode(@Body @Valid CodecPayloads body) {
        return apply(body, codec::encode);
    }

    private static CodecPayloads apply(CodecPayloads body, UnaryOperator<Payload> operation) {
        List<CodecPayload> out = new ArrayList<>(body.payloads().size());
        for (int i = 0; i < body.payloads().size(); i++) {
            Payload payload = toPayload(body.payloads().get(i), i);
            try {
                out.add(toJson(operation.apply(payload)));
            } catch (PayloadCodecException | IllegalStateException e) {
                throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, "PAYLOAD_UNDECODABLE",
                        "Payload " + i + " cannot be decrypted with the configured keys (unknown key id or tampered)",
                        Map.of("field", "payloads[" + i + "]"));
            }
        }
        return new CodecPayloads(out);
    }

    private static Payload toPayload(CodecPayload json, int index) {
        Payload.Builder payload = Payload.newBuilder();
        try {
            if (json.metadata() != null) {
                json.metadata().forEach((key, value) ->
                        payload.putMetadata(key, ByteString.copyFrom(Base64.getDecoder().decode(value == null ? "" : value))));
            }
            if (json.data() != null) {
                payload.setData(ByteString.copyFrom(Base64.getDecoder().decode(json.data())));
            }
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("PAYLOAD_INVALID", "Payload " + index + " is not proto3 JSON: metadata "
                    + "values and data must be base64", Map.of("field", "payloads[" + index + "]"));
        }
        return payload.build();
    }

    private static CodecPayload toJson(Payload payload) {
        Map<String, String> metadata = new LinkedHashMap<>();
        payload.getMetadataMap().forEach((key, value) -> metadata.put(key, Base64.getEncoder().encodeToString(value.toByteArray())));
        return new CodecPayload(metadata, Base64.getEncoder().encodeToString(payload.getData().toByteArray()));
    }
}
