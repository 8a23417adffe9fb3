package com.admintk.orchestrator.security;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The AES-256-GCM key ring from {@code ENCRYPTION_KEYS} / {@code ENCRYPTION_ACTIVE_KEY}, shared by secrets at rest
 * ({@link SecretCipher}) and Temporal payloads ({@link PayloadEncryptionCodec}): one place that seals and opens,
 * so both rotate the same way. New values are sealed under the active key; any configured key opens.
 * A sealed value is {@code nonce(12) ‖ ciphertext ‖ tag(16)}; the caller says where the key id travels and what
 * associated data binds the value to its use.
 */
public final class EncryptionKeys {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * One cipher per thread, initialised afresh (key and nonce) for every value: {@code Cipher.getInstance} looks the
     * provider up each time, which showed in the worker's profile.
     */
    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is not available", e);
        }
    });

    private final Map<String, SecretKeySpec> keys;
    private final String activeKey;

    private EncryptionKeys(Map<String, SecretKeySpec> keys, String activeKey) {
        this.keys = keys;
        this.activeKey = activeKey;
    }

    /** @throws IllegalArgumentException naming what is wrong with the key list (the configuration check uses it) */
    public static EncryptionKeys of(String keys, String activeKey) {
        return new EncryptionKeys(parse(keys), activeKey == null ? "" : activeKey.trim());
    }

    /** @throws IllegalArgumentException naming what is wrong; used by the configuration check too */
    public static Map<String, SecretKeySpec> parse(String spec) {
        Map<String, SecretKeySpec> parsed = new LinkedHashMap<>();
        for (String entry : spec == null ? new String[0] : spec.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int colon = entry.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("expected id:base64key entries separated by commas");
            }
            String id = entry.substring(0, colon).trim();
            if (!id.matches("[A-Za-z0-9_-]{1,32}")) {
                throw new IllegalArgumentException("key id '" + id + "' must be 1-32 letters, digits, '_' or '-'");
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(entry.substring(colon + 1).trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("key '" + id + "' is not base64");
            }
            if (key.length != 32) {
                throw new IllegalArgumentException("key '" + id + "' is " + key.length + " bytes, AES-256 needs 32");
            }
            parsed.put(id, new SecretKeySpec(key, "AES"));
        }
        return parsed;
    }

    public String activeKeyId() {
        return activeKey;
    }

    public Set<String> keyIds() {
        return keys.keySet();
    }

    /** Seals under the active key; {@code associatedData} is authenticated, not stored. */
    public byte[] seal(byte[] plaintext, byte[] associatedData) {
        SecretKeySpec key = keys.get(activeKey);
        if (key == null) {
            throw new IllegalStateException("ENCRYPTION_ACTIVE_KEY '" + activeKey + "' is not among ENCRYPTION_KEYS");
        }
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = CIPHERS.get();
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData);
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    /**
     * @throws IllegalStateException when {@code keyId} is not configured, or the value was tampered with, relabelled
     *                               or sealed for another use
     */
    public byte[] open(String keyId, byte[] sealed, byte[] associatedData) {
        SecretKeySpec key = keys.get(keyId);
        if (key == null) {
            throw new IllegalStateException("encryption key '" + keyId + "' is not configured in ENCRYPTION_KEYS");
        }
        if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new IllegalStateException("the value is too short to be sealed");
        }
        try {
            Cipher cipher = CIPHERS.get();
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
            cipher.updateAAD(associatedData);
            return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the value was tampered with or the key is wrong", e);
        }
    }
}
