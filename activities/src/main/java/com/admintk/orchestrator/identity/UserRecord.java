package com.admintk.orchestrator.identity;

import java.time.Instant;
import java.util.Set;

/** A person who logs in with email and password. Never leaves the identity code with its hash. */
public record UserRecord(String id, String email, String passwordHash, Set<String> roles, Instant createdAt) {
}
