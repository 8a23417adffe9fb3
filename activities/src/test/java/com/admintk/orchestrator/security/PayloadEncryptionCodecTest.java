package com.admintk.orchestrator.security;

import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.failure.ApplicationFailure;
import io.temporal.payload.codec.PayloadCodecException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PayloadEncryptionCodecTest {

    private static final String K1 = "k1:" + key("first-key-first-key-first-key-32");
    private static final String K2 = "k2:" + key("second-key-second-key-second-k32");

    record Checkout(String email, Map<String, String> eggVariables, String clientSecret) {
    }

    private static final Checkout CHECKOUT = new Checkout("alice@example.test", Map.of("RCON_PASS", "hunter2-rcon"),
            "pi_123_secret_abc");

    @Test
    void aPayloadLeavesTheProcessEncryptedWithItsKeyIdAndComesBackAsTheWorkflowSentIt() {
        DataConverter converter = converter(K1, "k1");
        Payload stored = converter.toPayload(CHECKOUT).orElseThrow();

        String raw = stored.toString() + new String(stored.toByteArray(), StandardCharsets.ISO_8859_1);
        for (String secret : List.of("alice@example.test", "hunter2-rcon", "pi_123_secret_abc", "RCON_PASS")) {
            assertFalse(raw.contains(secret), secret + " in " + raw);
        }
        assertEquals("binary/encrypted", stored.getMetadataOrThrow("encoding").toStringUtf8());
        assertEquals("k1", stored.getMetadataOrThrow("encryption-key-id").toStringUtf8());
        assertNotEquals(stored, converter.toPayload(CHECKOUT).orElseThrow(), "a fresh nonce every time");
        assertEquals(CHECKOUT, converter.fromPayload(stored, Checkout.class, Checkout.class));
    }

    @Test
    void afterRotationOldPayloadsStillDecodeAndNewOnesUseTheNewKey() {
        Payloads underK1 = converter(K1, "k1").toPayloads(CHECKOUT).orElseThrow();
        DataConverter rotated = converter(K1 + "," + K2, "k2");

        assertEquals(CHECKOUT, rotated.fromPayloads(0, Optional.of(underK1), Checkout.class, Checkout.class));
        Payload fresh = rotated.toPayload(CHECKOUT).orElseThrow();
        assertEquals("k2", fresh.getMetadataOrThrow("encryption-key-id").toStringUtf8());
        assertEquals(CHECKOUT, converter(K2, "k2").fromPayload(fresh, Checkout.class, Checkout.class),
                "readable without the retired key");
        // Once k1 is dropped, what only k1 sealed is unreadable: drop a key only after its histories expired.
        assertThrows(PayloadCodecException.class,
                () -> converter(K2, "k2").fromPayloads(0, Optional.of(underK1), Checkout.class, Checkout.class));
    }

    @Test
    void aTamperedPayloadOrARelabelledKeyIdIsRefused() {
        PayloadEncryptionCodec codec = new PayloadEncryptionCodec(EncryptionKeys.of(K1 + "," + K2, "k1"));
        Payload plain = DefaultDataConverter.STANDARD_INSTANCE.toPayload(CHECKOUT).orElseThrow();
        Payload sealed = codec.encode(plain);

        byte[] data = sealed.getData().toByteArray();
        data[data.length - 1] ^= 1;
        Payload tampered = sealed.toBuilder().setData(com.google.protobuf.ByteString.copyFrom(data)).build();
        assertThrows(PayloadCodecException.class, () -> codec.decode(tampered));
        Payload relabelled = sealed.toBuilder()
                .putMetadata("encryption-key-id", com.google.protobuf.ByteString.copyFromUtf8("k2")).build();
        assertThrows(PayloadCodecException.class, () -> codec.decode(relabelled));
        assertEquals(plain, codec.decode(sealed));
    }

    @Test
    void aStoredSecretCannotBePassedOffAsAPayload() {
        EncryptionKeys keys = EncryptionKeys.of(K1, "k1");
        String stored = new SecretCipher(keys).encrypt("hunter2-rcon");
        byte[] sealed = Base64.getDecoder().decode(stored.substring(stored.lastIndexOf(':') + 1));
        Payload forged = Payload.newBuilder()
                .putMetadata("encoding", com.google.protobuf.ByteString.copyFromUtf8("binary/encrypted"))
                .putMetadata("encryption-key-id", com.google.protobuf.ByteString.copyFromUtf8("k1"))
                .setData(com.google.protobuf.ByteString.copyFrom(sealed)).build();
        assertThrows(PayloadCodecException.class, () -> new PayloadEncryptionCodec(keys).decode(forged));
    }

    @Test
    void payloadsWrittenBeforeEncryptionStillDecode() {
        PayloadEncryptionCodec codec = new PayloadEncryptionCodec(EncryptionKeys.of(K1, "k1"));
        Payload plain = DefaultDataConverter.STANDARD_INSTANCE.toPayload(CHECKOUT).orElseThrow();
        assertSame(plain, codec.decode(plain));
        assertEquals(CHECKOUT, converter(K1, "k1").fromPayload(plain, Checkout.class, Checkout.class));
    }

    @Test
    void failureMessagesAreEncryptedToo() {
        DataConverter converter = converter(K1, "k1");
        var failure = converter.exceptionToFailure(
                ApplicationFailure.newFailure("panel refused RCON_PASS hunter2-rcon", "Invalid"));
        assertFalse(failure.toString().contains("hunter2-rcon"), failure.toString());
        assertTrue(converter.failureToException(failure).getMessage().contains("hunter2-rcon"));
    }

    private static DataConverter converter(String keys, String active) {
        return new CodecDataConverter(DefaultDataConverter.newDefaultInstance(),
                List.of(new PayloadEncryptionCodec(EncryptionKeys.of(keys, active))), true);
    }

    private static String key(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }
}
