package com.admintk.orchestrator.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every secret value the repository shows (dev defaults, deployment examples) is on the refused list. */
class PublishedSecretsTest {

    private static final String SECRETS = "JWT_SECRET|ENCRYPTION_KEYS|STRIPE_WEBHOOK_SECRET|STORE_WEBHOOK_SECRET";
    /** {@code ${JWT_SECRET:value}} or {@code ${JWT_SECRET:`value`}} in YAML, {@code JWT_SECRET=value} or {@code JWT_SECRET: value}. */
    private static final Pattern DEFAULT = Pattern.compile("\\$\\{(?:" + SECRETS + "):`?([^`}]+)`?}");
    private static final Pattern ASSIGNED = Pattern.compile("^\\s*(?:" + SECRETS + ")\\s*[=:]\\s*(\\S+)\\s*$",
            Pattern.MULTILINE);

    @Test
    void everySecretTheRepositoryPublishesIsRefused() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<Path> files = List.of(root.resolve("app/src/main/resources/application-dev.yml"),
                root.resolve("app/src/main/resources/application.yml"),
                root.resolve("deployment/compose/.env.example"),
                root.resolve("deployment/k8s/secret.example.yaml"));
        List<String> found = new ArrayList<>();
        for (Path file : files) {
            String text = Files.readString(file);
            for (Pattern pattern : List.of(DEFAULT, ASSIGNED)) {
                Matcher m = pattern.matcher(text);
                while (m.find()) {
                    String value = m.group(1).trim();
                    if (value.startsWith("${")) {
                        continue; // compose's ${VAR:?message}: a reference, not a value
                    }
                    // ENCRYPTION_KEYS entries are id:key; the key is the secret
                    for (String entry : value.split(",")) {
                        found.add(entry.contains(":") && !entry.startsWith("whsec") ? entry.substring(entry.indexOf(':') + 1) : entry);
                    }
                }
            }
        }
        assertTrue(found.size() >= 7, "the files show the dev and example secrets: " + found);
        List<String> missing = found.stream().filter(v -> !PublishedSecrets.isPublished(v)).toList();
        assertEquals(List.of(), missing, "published in the repository but not refused");
    }
}
