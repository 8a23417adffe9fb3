package com.admintk.orchestrator.config;

import java.util.Set;

/**
 * Secret values that are public because this repository publishes them: the dev defaults of
 * {@code application-dev.yml} and the examples under {@code deployment/}. A process outside the local stack that
 * runs with one of them can be impersonated by anyone who has read the repository. {@code PublishedSecretsTest}
 * reads those files, so a new example value cannot be forgotten here.
 */
final class PublishedSecrets {

    static final Set<String> VALUES = Set.of(
            // application-dev.yml
            "dev-only-jwt-secret-change-me-in-production-0123456789",
            "ZGV2LW9ubHktZW5jcnlwdGlvbi1rZXktMzItYnl0ZXM=",
            "whsec_admintk_local",
            "store-webhook-local-secret",
            // deployment/compose/.env.example, deployment/k8s/secret.example.yaml
            "example-jwt-secret-replace-me-with-48-random-bytes-0000000000",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            "whsec_example",
            "example-store-webhook-secret-replace-me-000000000000");

    private PublishedSecrets() {
    }

    static boolean isPublished(String value) {
        return VALUES.contains(value.trim());
    }
}
