package com.admintk.orchestrator.security;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** How a request is keyed for the limits: by /64 for IPv6, by the path the router matches. */
class RateLimitKeysTest {

    @Test
    void ipv6ClientsShareTheBudgetOfTheir64() {
        String one = ClientIp.rateLimitKey("2001:db8:aa:1::1");
        assertEquals(one, ClientIp.rateLimitKey("2001:db8:aa:1:ffff:ffff:ffff:fffe"), "same /64, same budget");
        assertEquals(one, ClientIp.rateLimitKey("2001:0db8:00aa:0001:0000:0000:0000:0042"), "written in full");
        assertNotEquals(one, ClientIp.rateLimitKey("2001:db8:aa:2::1"), "the next /64 is another client");
        assertEquals("203.0.113.7", ClientIp.rateLimitKey("203.0.113.7"), "IPv4 as it is");
    }

    @Test
    void pathsAreComparedAsTheRouterMatchesThem() {
        for (String path : new String[]{"/api/v1/auth/login/", "/api//v1/auth/login", "/API/v1/Auth/login",
                "/api/v1/auth//login//"}) {
            assertEquals("/api/v1/auth/login", RoutePaths.normalize(path), path);
        }
        assertEquals("/", RoutePaths.normalize(""));
        assertEquals("/", RoutePaths.normalize("//"));
    }
}
