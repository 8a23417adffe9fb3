package com.admintk.orchestrator.security;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.temporal.api.common.v1.Payload;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encrypts every Temporal payload (workflow and activity inputs and results, signals, queries, failure details)
 * before it leaves the process, so a Temporal history holds no customer email, game setting or Stripe client
 * secret in clear. The whole payload (its converter metadata and data) is sealed with AES-256-GCM under the active
 * key of {@link EncryptionKeys}; the key id travels in the metadata so any configured key opens it after a
 * rotation. Payloads written before encryption was on pass through decode unchanged, so running workflows keep
 * working across the upgrade. The client, every worker and the codec endpoint share this one codec.
 */
@Singleton
public class PayloadEncryptionCodec implements PayloadCodec {

    public static final String ENCODING = "binary/encrypted";
    public static final String METADATA_ENCODING = "encoding";
    public static final String METADATA_KEY_ID = "encryption-key-id";
    private static final ByteString ENCODING_BYTES = ByteString.copyFromUtf8(ENCODING);

    private final EncryptionKeys keys;

    public PayloadEncryptionCodec(EncryptionKeys keys) {
        this.keys = keys;
    }

    @Override
    public List<Payload> encode(List<Payload> payloads) {
        return payloads.stream().map(this::encode).toList();
    }

    @Override
    public List<Payload> decode(List<Payload> payloads) {
        return payloads.stream().map(this::decode).toList();
    }

    public Payload encode(Payload payload) {
        if (isEncrypted(payload)) {
            return payload;
        }
        String keyId = keys.activeKeyId();
        byte[] sealed = keys.seal(payload.toByteArray(), associatedData(keyId));
        return Payload.newBuilder()
                .putMetadata(METADATA_ENCODING, ENCODING_BYTES)
                .putMetadata(METADATA_KEY_ID, ByteString.copyFromUtf8(keyId))
                .setData(ByteString.copyFrom(sealed))
                .build();
    }

    public Payload decode(Payload payload) {
        if (!isEncrypted(payload)) {
            return payload;
        }
        ByteString keyId = payload.getMetadataMap().get(METADATA_KEY_ID);
        if (keyId == null) {
            throw new PayloadCodecException("encrypted payload without '" + METADATA_KEY_ID + "'");
        }
        String id = keyId.toStringUtf8();
        try {
            return Payload.parseFrom(keys.open(id, payload.getData().toByteArray(), associatedData(id)));
        } catch (IllegalStateException | InvalidProtocolBufferException e) {
            throw new PayloadCodecException("cannot decrypt payload under key '" + id + "': " + e.getMessage(), e);
        }
    }

    public static boolean isEncrypted(Payload payload) {
        return ENCODING_BYTES.equals(payload.getMetadataMap().get(METADATA_ENCODING));
    }

    // Bound to its use: a value sealed for a stored secret is never accepted as a payload, nor the other way round.
    private static byte[] associatedData(String keyId) {
        return ("temporal-payload:" + keyId).getBytes(StandardCharsets.UTF_8);
    }
}
