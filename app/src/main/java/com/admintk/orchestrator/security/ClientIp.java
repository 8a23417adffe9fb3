package com.admintk.orchestrator.security;

import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The client's address. {@code X-Forwarded-For} is believed only when the direct peer is a configured trusted proxy
 * ({@code orchestrator.security.trusted-proxies}, env {@code TRUSTED_PROXIES}: IPs or CIDRs); then the right-most
 * address that is not itself a trusted proxy is the client. Anyone else could put any address in that header.
 */
@Singleton
public class ClientIp {

    private final List<Cidr> trusted = new ArrayList<>();

    public ClientIp(@Value("${orchestrator.security.trusted-proxies:}") List<String> proxies) {
        for (String proxy : proxies) {
            if (!proxy.isBlank()) {
                trusted.add(Cidr.parse(proxy.trim()));
            }
        }
    }

    public String of(HttpRequest<?> request) {
        InetSocketAddress remote = request.getRemoteAddress();
        String peer = remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
        if (!isTrusted(peer)) {
            return peer;
        }
        List<String> forwarded = request.getHeaders().getAll("X-Forwarded-For");
        List<String> hops = new ArrayList<>();
        for (String header : forwarded) {
            for (String hop : header.split(",")) {
                if (!hop.isBlank()) {
                    hops.add(hop.trim());
                }
            }
        }
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = hops.get(i);
            if (!isTrusted(hop)) {
                return literal(hop) ? hop : peer;
            }
        }
        return peer;
    }

    /**
     * The key an address is rate limited under: an IPv4 address as it is, an IPv6 address by its /64, since one
     * subscriber usually holds a whole /64 and could otherwise take a fresh budget per address.
     */
    public static String rateLimitKey(String address) {
        if (address == null || !address.contains(":")) {
            return address;
        }
        byte[] raw = Cidr.bytes(address);
        if (raw == null || raw.length != 16) {
            return address;
        }
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < 8; i += 2) {
            key.append(String.format("%02x%02x:", raw[i], raw[i + 1]));
        }
        return key.append(":/64").toString();
    }

    public boolean isTrusted(String address) {
        for (Cidr cidr : trusted) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** Only IP literals: never resolve names taken from a header. */
    private static boolean literal(String value) {
        return value.matches("[0-9.]+") || value.matches("[0-9a-fA-F:.]+") && value.contains(":");
    }

    private record Cidr(byte[] network, int bits) {
        static Cidr parse(String text) {
            String[] parts = text.split("/");
            byte[] address = bytes(parts[0]);
            if (address == null) {
                throw new IllegalArgumentException("trusted proxy '" + text + "' is not an IP or CIDR");
            }
            int bits = parts.length > 1 ? Integer.parseInt(parts[1]) : address.length * 8;
            return new Cidr(address, bits);
        }

        boolean contains(String candidate) {
            byte[] address = literal(candidate) ? bytes(candidate) : null;
            if (address == null || address.length != network.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (address[full] & mask) == (network[full] & mask);
        }

        private static byte[] bytes(String ip) {
            if (!literal(ip)) {
                return null;
            }
            try {
                return InetAddress.getByName(ip).getAddress();
            } catch (UnknownHostException e) {
                return null;
            }
        }
    }
}
