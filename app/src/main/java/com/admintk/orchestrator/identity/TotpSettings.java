package com.admintk.orchestrator.identity;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/** {@code orchestrator.security.totp}: the second factor of ADMIN and SUPER_ADMIN logins. */
@ConfigurationProperties("orchestrator.security.totp")
public class TotpSettings {

    /** Shown by authenticator apps next to the account. */
    @NotBlank
    private String issuer = "Admin-TK";
    /** How long the password step's mfa token waits for the code. */
    @NotNull
    private Duration challengeTtl = Duration.ofMinutes(5);
    /** Codes tried with one mfa token before it is spent; the per-account budget is in the rate limits. */
    @Min(1)
    @Max(20)
    private int attemptsPerChallenge = 5;
    @Min(1)
    @Max(20)
    private int recoveryCodes = 10;

    public String getIssuer() { return issuer; }
    public void setIssuer(String issuer) { this.issuer = issuer; }
    public Duration getChallengeTtl() { return challengeTtl; }
    public void setChallengeTtl(Duration challengeTtl) { this.challengeTtl = challengeTtl; }
    public int getAttemptsPerChallenge() { return attemptsPerChallenge; }
    public void setAttemptsPerChallenge(int v) { this.attemptsPerChallenge = v; }
    public int getRecoveryCodes() { return recoveryCodes; }
    public void setRecoveryCodes(int v) { this.recoveryCodes = v; }
}
