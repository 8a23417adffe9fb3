package com.admintk.orchestrator.security;

import java.util.Locale;

/**
 * A request path as the router matches it. The router treats {@code /api/v1/auth/login/}, {@code //api/v1/auth/login}
 * and {@code /API/v1/auth/login} as the login route, so a limit keyed on the raw path could be walked around.
 */
public final class RoutePaths {

    private RoutePaths() {
    }

    public static String normalize(String path) {
        if (path == null || path.isEmpty()) {
            return "/";
        }
        String collapsed = path.replaceAll("/{2,}", "/");
        if (collapsed.length() > 1 && collapsed.endsWith("/")) {
            collapsed = collapsed.substring(0, collapsed.length() - 1);
        }
        return collapsed.toLowerCase(Locale.ROOT);
    }
}
