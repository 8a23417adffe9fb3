package com.admintk.orchestrator.identity;

import java.util.LinkedHashSet;
import java.util.Set;

/** Role names as they appear in tokens and in {@code @Secured}. */
public final class Roles {

    public static final String CLIENT = "CLIENT";
    public static final String ADMIN = "ADMIN";
    public static final String SUPER_ADMIN = "SUPER_ADMIN";
    /** The store's service account: may read the plans and create orders on behalf of a customer, nothing else. */
    public static final String STORE = "STORE";

    /** Roles a person can hold (STORE is for service accounts only). */
    public static final Set<String> USER_ROLES = Set.of(CLIENT, ADMIN, SUPER_ADMIN);

    private Roles() {
    }

    /** What a token carries: a SUPER_ADMIN is also an ADMIN, so {@code @Secured(ADMIN)} admits both. */
    public static Set<String> effective(Set<String> assigned) {
        Set<String> roles = new LinkedHashSet<>(assigned);
        if (roles.contains(SUPER_ADMIN)) {
            roles.add(ADMIN);
        }
        return roles;
    }
}
