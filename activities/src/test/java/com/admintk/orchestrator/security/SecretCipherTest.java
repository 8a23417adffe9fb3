package com.admintk.orchestrator.security;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretCipherTest {

    private static final String K1 = "k1:" + key("first-key-first-key-first-key-32");
    private static final String K2 = "k2:" + key("second-key-second-key-second-k32");

    @Test
    void aSecretRoundTripsAndCarriesItsKeyIdButNotItsText() {
        SecretCipher cipher = new SecretCipher(K1, "k1");
        String stored = cipher.encrypt("ptla_live_secret");
        assertTrue(stored.contains(":k1:"), stored);
        assertFalse(stored.contains("ptla_live_secret"));
        assertNotEquals(stored, cipher.encrypt("ptla_live_secret"), "a fresh nonce every time");
        assertEquals("ptla_live_secret", cipher.decrypt(stored));
    }

    @Test
    void afterRotationOldValuesStillDecryptAndAreReencryptedUnderTheNewKey() {
        String old = new SecretCipher(K1, "k1").encrypt("whsec_old");
        SecretCipher rotated = new SecretCipher(K1 + "," + K2, "k2");
        assertEquals("whsec_old", rotated.decrypt(old));
        assertTrue(rotated.needsRotation(old));
        String renewed = rotated.reencrypt(old);
        assertTrue(renewed.contains(":k2:"), renewed);
        assertFalse(rotated.needsRotation(renewed));
        assertEquals("whsec_old", new SecretCipher(K2, "k2").decrypt(renewed), "readable without the retired key");
    }

    @Test
    void aTamperedValueOrAForgedKeyIdIsRefused() {
        SecretCipher cipher = new SecretCipher(K1 + "," + K2, "k1");
        String stored = cipher.encrypt("secret");
        String body = stored.substring(stored.lastIndexOf(':') + 1);
        byte[] raw = Base64.getDecoder().decode(body);
        raw[raw.length - 1] ^= 1;
        String tampered = stored.substring(0, stored.lastIndexOf(':') + 1) + Base64.getEncoder().encodeToString(raw);
        assertThrows(IllegalStateException.class, () -> cipher.decrypt(tampered));
        // The key id is authenticated too: relabelling a k1 value as k2 does not decrypt.
        assertThrows(IllegalStateException.class, () -> cipher.decrypt(stored.replace(":k1:", ":k2:")));
    }

    @Test
    void aKeyOfTheWrongSizeIsRejectedAtConfiguration() {
        assertThrows(IllegalArgumentException.class,
                () -> SecretCipher.parseKeys("short:" + Base64.getEncoder().encodeToString(new byte[16])));
    }

    private static String key(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }
}
