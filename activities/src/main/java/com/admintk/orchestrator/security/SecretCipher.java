package com.admintk.orchestrator.security;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Secrets at rest (panel keys, webhook secrets, secret egg variables): AES-256-GCM under keys from the environment.
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

    public static final String PREFIX = "enc:v1:";

    private final EncryptionKeys keys;

    @Inject
    public SecretCipher(EncryptionKeys keys) {
        this.keys = keys;
    }

    public SecretCipher(String keys, String activeKey) {
        this(EncryptionKeys.of(keys, activeKey));
    }

    /** @throws IllegalArgumentException naming what is wrong; used by the configuration check too */
    public static Map<String, SecretKeySpec> parseKeys(String spec) {
        return EncryptionKeys.parse(spec);
    }

    public static boolean isEncrypted(String stored) {
        return stored != null && stored.startsWith(PREFIX);
    }

    public String encrypt(String plaintext) {
        String keyId = keys.activeKeyId();
        byte[] sealed = keys.seal(plaintext.getBytes(StandardCharsets.UTF_8), keyId.getBytes(StandardCharsets.UTF_8));
        return PREFIX + keyId + ":" + Base64.getEncoder().encodeToString(sealed);
    }

    public String decrypt(String stored) {
        if (!isEncrypted(stored)) {
            throw new IllegalArgumentException("not an encrypted value");
        }
        String rest = stored.substring(PREFIX.length());
        int colon = rest.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("not an encrypted value");
        }
        String keyId = rest.substring(0, colon);
        byte[] sealed;
        try {
            sealed = Base64.getDecoder().decode(rest.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the value was tampered with: not base64", e);
        }
        return new String(keys.open(keyId, sealed, keyId.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    public boolean needsRotation(String stored) {
        return !stored.startsWith(PREFIX + keys.activeKeyId() + ":");
    }

    /** The value under the active key (unchanged if it already is). */
    public String reencrypt(String stored) {
        return needsRotation(stored) ? encrypt(decrypt(stored)) : stored;
    }

    public String activeKeyId() {
        return keys.activeKeyId();
    }
}
