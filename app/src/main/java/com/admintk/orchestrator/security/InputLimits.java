package com.admintk.orchestrator.security;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.Min;

import java.util.List;

/** {@code orchestrator.security.input}: shape limits of JSON bodies, checked before any controller sees them. */
@ConfigurationProperties("orchestrator.security.input")
public class InputLimits {

    @Min(2)
    private int maxDepth = 16;
    /** Paths whose raw body is verified by signature and must reach the controller untouched. */
    private List<String> rawBodyPaths = List.of("/api/v1/payments/webhooks/");

    public int getMaxDepth() { return maxDepth; }
    public void setMaxDepth(int maxDepth) { this.maxDepth = maxDepth; }
    public List<String> getRawBodyPaths() { return rawBodyPaths; }
    public void setRawBodyPaths(List<String> rawBodyPaths) { this.rawBodyPaths = rawBodyPaths; }

    public boolean rawBody(String path) {
        return rawBodyPaths.stream().anyMatch(path::startsWith);
    }
}
