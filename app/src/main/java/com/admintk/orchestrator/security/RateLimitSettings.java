package com.admintk.orchestrator.security;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import java.util.List;

/** {@code orchestrator.security.rate-limit}: request budgets per minute, kept in Redis and shared by every API instance. */
@ConfigurationProperties("orchestrator.security.rate-limit")
public class RateLimitSettings {

    private boolean enabled = true;
    @Min(1)
    private long perIpPerMinute = 100;
    @Min(1)
    private long perUserPerMinute = 300;
    @Min(1)
    private long loginPerMinute = 10;
    private long loginPerAccountPerMinute = 10;
    /** Second-factor codes an admin account may try per minute, whatever the mfa token or address. */
    @Min(1)
    private long totpPerAccountPerMinute = 5;
    @NotBlank
    private String keyPrefix = "ratelimit:";
    private List<String> exemptPaths = List.of("/health", "/prometheus");

    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean enabled) { this.enabled = enabled; }
    public long getPerIpPerMinute() { return perIpPerMinute; }
    public void setPerIpPerMinute(long v) { this.perIpPerMinute = v; }
    public long getPerUserPerMinute() { return perUserPerMinute; }
    public void setPerUserPerMinute(long v) { this.perUserPerMinute = v; }
    public long getLoginPerMinute() { return loginPerMinute; }
    public void setLoginPerMinute(long v) { this.loginPerMinute = v; }
    public long getLoginPerAccountPerMinute() { return loginPerAccountPerMinute; }
    public void setLoginPerAccountPerMinute(long v) { this.loginPerAccountPerMinute = v; }
    public long getTotpPerAccountPerMinute() { return totpPerAccountPerMinute; }
    public void setTotpPerAccountPerMinute(long v) { this.totpPerAccountPerMinute = v; }
    public String getKeyPrefix() { return keyPrefix; }
    public void setKeyPrefix(String keyPrefix) { this.keyPrefix = keyPrefix; }
    public List<String> getExemptPaths() { return exemptPaths; }
    public void setExemptPaths(List<String> exemptPaths) { this.exemptPaths = exemptPaths; }

    public boolean exempt(String path) {
        path = RoutePaths.normalize(path);
        for (String prefix : exemptPaths) {
            if (path.equals(prefix) || path.startsWith(prefix + "/")) {
                return true;
            }
        }
        return false;
    }
}
