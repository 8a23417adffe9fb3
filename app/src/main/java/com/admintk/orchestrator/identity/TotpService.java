package com.admintk.orchestrator.identity;

import com.admintk.orchestrator.error.ApiException;
import com.admintk.orchestrator.identity.MfaChallengeRepository.Challenge;
import com.admintk.orchestrator.identity.TotpEnrolmentRepository.Enrolment;
import com.admintk.orchestrator.identity.TotpEnrolmentRepository.Status;
import com.admintk.orchestrator.security.LoginThrottle;
import com.admintk.orchestrator.security.SecretCipher;
import dev.samstevens.totp.code.CodeGenerator;
import dev.samstevens.totp.code.DefaultCodeGenerator;
import dev.samstevens.totp.code.DefaultCodeVerifier;
import dev.samstevens.totp.code.HashingAlgorithm;
import dev.samstevens.totp.exceptions.QrGenerationException;
import dev.samstevens.totp.qr.QrData;
import dev.samstevens.totp.qr.ZxingPngQrGenerator;
import dev.samstevens.totp.recovery.RecoveryCodeGenerator;
import dev.samstevens.totp.secret.DefaultSecretGenerator;
import dev.samstevens.totp.util.Utils;
import io.micronaut.http.HttpStatus;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * TOTP (RFC 6238: SHA-1, 6 digits, 30 s) as the second factor of ADMIN and SUPER_ADMIN, on the samstevens totp
 * library. The rules a reader might be tempted to relax:
 * <ul>
 *   <li>A code is accepted for the current step and one step either side (clock drift), and each step once: the
 *       newest accepted step is stored and older or equal steps are refused, so a code seen over a shoulder or in a
 *       proxy log cannot open a second session.</li>
 *   <li>The mfa token proves only that the password was right. It is not an access token, lives minutes, allows a
 *       few tries and finishes one login.</li>
 *   <li>Confirming an enrolment ends every session of the account: sessions opened before it were password-only.</li>
 * </ul>
 */
@Singleton
public class TotpService {

    static final int PERIOD_SECONDS = 30;
    static final int DIGITS = 6;
    /** Steps either side of now a code may come from. */
    static final int DRIFT_STEPS = 1;
    static final String TOTP_CODE = "[0-9]{6}";
    static final String RECOVERY_CODE = "[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){3}";

    /** What an admin sees once, when enrolment starts. */
    @Serdeable
    public record EnrolmentStart(String secret, String otpauthUri, String qrCode) {
    }

    /** The outcome of a second step that was refused, with whom it concerned, for the audit log. */
    public static final class SecondFactorRefused extends ApiException {
        private final String userId;
        private final String reason;

        SecondFactorRefused(String userId, String code, String message, String reason) {
            super(HttpStatus.UNAUTHORIZED, code, message);
            this.userId = userId;
            this.reason = reason;
        }

        public String userId() {
            return userId;
        }

        public String reason() {
            return reason;
        }
    }

    /** A finished second step: the user, and whether a code or a recovery code was given. */
    public record SecondFactorAccepted(UserRecord user, String method) {
    }

    private final TotpEnrolmentRepository enrolments;
    private final MfaChallengeRepository challenges;
    private final UserService users;
    private final TokenService tokens;
    private final SecretCipher cipher;
    private final LoginThrottle throttle;
    private final TotpSettings settings;
    private final CodeGenerator codes = new DefaultCodeGenerator(HashingAlgorithm.SHA1, DIGITS);
    private final DefaultSecretGenerator secrets = new DefaultSecretGenerator();
    private final RecoveryCodeGenerator recoveryCodes = new RecoveryCodeGenerator();
    private final SecureRandom random = new SecureRandom();

    public TotpService(TotpEnrolmentRepository enrolments, MfaChallengeRepository challenges, UserService users,
                       TokenService tokens, SecretCipher cipher, LoginThrottle throttle, TotpSettings settings) {
        this.enrolments = enrolments;
        this.challenges = challenges;
        this.users = users;
        this.tokens = tokens;
        this.cipher = cipher;
        this.throttle = throttle;
        this.settings = settings;
    }

    /** Whether holders of these roles log in with a second factor. */
    public static boolean required(Set<String> roles) {
        return roles.contains(Roles.ADMIN) || roles.contains(Roles.SUPER_ADMIN);
    }

    public boolean enrolled(String userId) {
        return enrolments.find(userId).map(e -> e.status() == Status.ACTIVE).orElse(false);
    }

    /** A new secret for the admin's authenticator; again replaces a pending one, never an active one. */
    public EnrolmentStart start(UserRecord user) {
        String secret = secrets.generate();
        if (!enrolments.startPending(user.id(), cipher.encrypt(secret))) {
            throw alreadyEnrolled();
        }
        QrData data = new QrData.Builder().label(user.email()).secret(secret).issuer(settings.getIssuer())
                .algorithm(HashingAlgorithm.SHA1).digits(DIGITS).period(PERIOD_SECONDS).build();
        try {
            ZxingPngQrGenerator png = new ZxingPngQrGenerator();
            return new EnrolmentStart(secret, data.getUri(), Utils.getDataUriForImage(png.generate(data), png.getImageMimeType()));
        } catch (QrGenerationException e) {
            throw new IllegalStateException("QR code generation failed", e);
        }
    }

    /**
     * Proves the authenticator holds the pending secret, makes it the account's second factor and ends every session.
     * @return the recovery codes, in clear this once (stored hashed)
     */
    public List<String> confirm(UserRecord user, String code) {
        Enrolment enrolment = enrolments.find(user.id()).orElseThrow(TotpService::notStarted);
        if (enrolment.status() == Status.ACTIVE) {
            throw alreadyEnrolled();
        }
        throttle.requireCodeAllowed(user.id());
        OptionalLong step = matchingStep(cipher.decrypt(enrolment.encryptedSecret()), code);
        if (step.isEmpty()) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, "INVALID_TOTP_CODE",
                    "The code does not match the secret of this enrolment", Map.of("field", "code"));
        }
        List<String> plain = Arrays.asList(recoveryCodes.generateCodes(settings.getRecoveryCodes()));
        if (!enrolments.activate(user.id(), enrolment.encryptedSecret(), step.getAsLong(),
                plain.stream().map(TotpService::recoveryHash).toList())) {
            throw new ApiException(HttpStatus.CONFLICT, "TOTP_ENROLMENT_CHANGED",
                    "The enrolment was restarted or finished meanwhile; start again");
        }
        tokens.revokeAll(user.id());
        return plain;
    }

    /** The local stack's demo admin: enrolled with a known secret, so tools and tests can log in. */
    public boolean seedEnrolled(String userId, String base32Secret) {
        return enrolments.insertActive(userId, cipher.encrypt(base32Secret));
    }

    /** The password was right: an mfa token for the second step. */
    public String challenge(UserRecord user) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = "mfa_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        challenges.insert(UserService.sha256(token), user.id(), Instant.now().plus(settings.getChallengeTtl()));
        return token;
    }

    public long challengeSeconds() {
        return settings.getChallengeTtl().toSeconds();
    }

    /**
     * The second step of an admin login: a TOTP code of a step not used before, or an unused recovery code.
     * @throws SecondFactorRefused 401 for a wrong or replayed code, or an mfa token that is unknown, expired, used
     *                             or out of attempts
     */
    public SecondFactorAccepted completeLogin(String mfaToken, String code) {
        String hash = UserService.sha256(mfaToken);
        Challenge challenge = challenges.attempt(hash, settings.getAttemptsPerChallenge())
                .filter(c -> c.expiresAt().isAfter(Instant.now()))
                .orElseThrow(() -> invalidToken(null));
        throttle.requireCodeAllowed(challenge.userId());
        UserRecord user = users.findById(challenge.userId()).filter(u -> required(u.roles()))
                .orElseThrow(() -> invalidToken(challenge.userId()));
        Enrolment enrolment = enrolments.find(user.id()).filter(e -> e.status() == Status.ACTIVE)
                .orElseThrow(() -> invalidToken(user.id()));
        String method;
        if (code.matches(TOTP_CODE)) {
            OptionalLong step = matchingStep(cipher.decrypt(enrolment.encryptedSecret()), code);
            if (step.isEmpty()) {
                throw wrongCode(user.id());
            }
            if (!enrolments.spendStep(user.id(), step.getAsLong())) {
                throw new SecondFactorRefused(user.id(), "TOTP_CODE_REUSED",
                        "This code was used already; wait for the next one", "code reused");
            }
            method = "totp";
        } else {
            if (!enrolments.spendRecoveryCode(user.id(), recoveryHash(code))) {
                throw wrongCode(user.id());
            }
            method = "recovery-code";
        }
        if (!challenges.consume(hash)) {
            throw invalidToken(user.id());
        }
        return new SecondFactorAccepted(user, method);
    }

    /** The step (of now and one either side) whose code this is, checked by the library's verifier. */
    private OptionalLong matchingStep(String secret, String code) {
        long now = Instant.now().getEpochSecond() / PERIOD_SECONDS;
        for (long step = now - DRIFT_STEPS; step <= now + DRIFT_STEPS; step++) {
            long at = step * PERIOD_SECONDS;
            DefaultCodeVerifier verifier = new DefaultCodeVerifier(codes, () -> at);
            verifier.setTimePeriod(PERIOD_SECONDS);
            verifier.setAllowedTimePeriodDiscrepancy(0);
            if (verifier.isValidCode(secret, code)) {
                return OptionalLong.of(step);
            }
        }
        return OptionalLong.empty();
    }

    // Recovery codes are 16 random characters (about 82 bits): a plain hash is enough, no slow hash needed.
    private static String recoveryHash(String code) {
        return UserService.sha256(code.trim().toLowerCase(Locale.ROOT));
    }

    private static SecondFactorRefused wrongCode(String userId) {
        return new SecondFactorRefused(userId, "INVALID_TOTP_CODE", "The code is wrong", "wrong code");
    }

    private static SecondFactorRefused invalidToken(String userId) {
        return new SecondFactorRefused(userId, "INVALID_MFA_TOKEN",
                "The mfa token is invalid, expired, used or out of attempts; log in again", "mfa token refused");
    }

    private static ApiException alreadyEnrolled() {
        return new ApiException(HttpStatus.CONFLICT, "TOTP_ALREADY_ENROLLED", "This account has a second factor already");
    }

    private static ApiException notStarted() {
        return new ApiException(HttpStatus.CONFLICT, "TOTP_ENROLMENT_NOT_STARTED",
                "Start the enrolment first: POST /api/v1/auth/totp/enrolment");
    }
}
