package com.admintk.orchestrator.notification;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code X-AdminTK-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>}, Stripe's scheme, so
 * the store can verify our webhooks the way it already verifies Stripe's: on the raw body, with a timestamp
 * tolerance against replays.
 */
public final class StoreWebhookSignature {

    public static final String HEADER = "X-AdminTK-Signature";
    public static final String DELIVERY_HEADER = "X-AdminTK-Delivery";
    public static final String EVENT_HEADER = "X-AdminTK-Event";

    private StoreWebhookSignature() {
    }

    public static String sign(String secret, String body, long timestampSeconds) {
        return "t=" + timestampSeconds + ",v1=" + hmac(secret, timestampSeconds + "." + body);
    }

    /** True when one {@code v1} of the header matches and {@code t} is within {@code toleranceSeconds} of now. */
    public static boolean verify(String secret, String header, String body, long toleranceSeconds) {
        if (header == null) {
            return false;
        }
        Long t = null;
        java.util.List<String> signatures = new java.util.ArrayList<>();
        for (String part : header.split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length != 2) {
                continue;
            }
            if ("t".equals(kv[0])) {
                try {
                    t = Long.parseLong(kv[1]);
                } catch (NumberFormatException e) {
                    return false;
                }
            } else if ("v1".equals(kv[0])) {
                signatures.add(kv[1]);
            }
        }
        if (t == null || Math.abs(System.currentTimeMillis() / 1000 - t) > toleranceSeconds) {
            return false;
        }
        byte[] expected = hmac(secret, t + "." + body).getBytes(StandardCharsets.US_ASCII);
        return signatures.stream()
                .anyMatch(s -> MessageDigest.isEqual(expected, s.getBytes(StandardCharsets.US_ASCII)));
    }

    static String hmac(String secret, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
