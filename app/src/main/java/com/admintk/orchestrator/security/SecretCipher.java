package com.admintk.orchestrator.security;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Secrets at rest (panel keys, webhook secrets): AES-256-GCM under keys from the environment.
 * <ul>
 *   <li>{@code ENCRYPTION_KEYS} ({@code orchestrator.security.encryption.keys}): {@code k1:<base64 32 bytes>,k2:…}</li>
 *   <li>{@code ENCRYPTION_ACTIVE_KEY} ({@code orchestrator.security.encryption.active-key}): the id new values use</li>
 * </ul>
 * Ciphertext is {@code enc:v1:<key id>:<base64(nonce ‖ ciphertext ‖ tag)>}; the key id is also authenticated
 * data, so a value cannot be moved under another key. Rotation: add the new key, make it active, run
 * {@link #reencrypt} over stored values, then drop the old key.
 */
@Singleton
public class SecretCipher {

    static final String PREFIX = "enc:v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final Map<String, SecretKeySpec> keys;
    private final String activeKey;
    private final SecureRandom random = new SecureRandom();

    public SecretCipher(@Value("${orchestrator.security.encryption.keys:}") String keys,
                        @Value("${orchestrator.security.encryption.active-key:}") String activeKey) {
        this.keys = parseKeys(keys);
        this.activeKey = activeKey.trim();
    }

    /** @throws IllegalArgumentException naming what is wrong; used by the configuration check too */
    public static Map<String, SecretKeySpec> parseKeys(String spec) {
        Map<String, SecretKeySpec> parsed = new LinkedHashMap<>();
        for (String entry : spec.split(",")) {
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

    public String encrypt(String plaintext) {
        SecretKeySpec key = keys.get(activeKey);
        if (key == null) {
            throw new IllegalStateException("ENCRYPTION_ACTIVE_KEY '" + activeKey + "' is not among ENCRYPTION_KEYS");
        }
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(activeKey.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
            return PREFIX + activeKey + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    public String decrypt(String stored) {
        if (!stored.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not an encrypted value");
        }
        String rest = stored.substring(PREFIX.length());
        int colon = rest.indexOf(':');
        String keyId = rest.substring(0, colon);
        SecretKeySpec key = keys.get(keyId);
        if (key == null) {
            throw new IllegalStateException("encryption key '" + keyId + "' is not configured in ENCRYPTION_KEYS");
        }
        try {
            byte[] raw = Base64.getDecoder().decode(rest.substring(colon + 1));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, raw, 0, NONCE_BYTES));
            cipher.updateAAD(keyId.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(raw, NONCE_BYTES, raw.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the value was tampered with or the key is wrong", e);
        }
    }

    public boolean needsRotation(String stored) {
        return !stored.startsWith(PREFIX + activeKey + ":");
    }

    /** The value under the active key (unchanged if it already is). */
    public String reencrypt(String stored) {
        return needsRotation(stored) ? encrypt(decrypt(stored)) : stored;
    }

    public String activeKeyId() {
        return activeKey;
    }
}
