package com.admintk.orchestrator.identity;

import com.admintk.orchestrator.error.ApiException;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Users and service accounts: the one place that reads and writes them. */
@Singleton
public class UserService {

    /** User ids: {@code usr_} and 24 hex digits. Path parameters are checked against it before any query. */
    public static final String ID_PATTERN = "usr_[0-9a-f]{24}";

    private final UserRepository users;
    private final ServiceAccountRepository serviceAccounts;
    private final PasswordHasher passwords;
    private final SecureRandom random = new SecureRandom();

    public UserService(UserRepository users, ServiceAccountRepository serviceAccounts, PasswordHasher passwords) {
        this.users = users;
        this.serviceAccounts = serviceAccounts;
        this.passwords = passwords;
    }

    public Optional<UserRecord> findById(String id) {
        return id != null && id.matches(ID_PATTERN) ? users.findById(id) : Optional.empty();
    }

    public Optional<UserRecord> findByEmail(String email) {
        return users.findByEmail(normalize(email));
    }

    public List<UserRecord> list(int page, int size) {
        return users.list(page, size);
    }

    public long count() {
        return users.count();
    }

    /** @return the new user, or empty when the email is taken */
    public Optional<UserRecord> create(String email, String password, Set<String> roles) {
        requireUserRoles(roles);
        UserRecord user = new UserRecord(newId(), normalize(email), passwords.hash(password), Set.copyOf(roles), Instant.now());
        return users.insert(user) ? Optional.of(user) : Optional.empty();
    }

    /** @return the user when email and password match; the same time is spent whether or not the email exists */
    public Optional<UserRecord> authenticate(String email, String password) {
        Optional<UserRecord> user = findByEmail(email);
        boolean ok = passwords.matches(password, user.map(UserRecord::passwordHash).orElse(null));
        return ok ? user : Optional.empty();
    }

    public UserRecord setRoles(String id, Set<String> roles) {
        requireUserRoles(roles);
        if (!users.setRoles(id, roles)) {
            throw ApiException.notFound("User");
        }
        return users.findById(id).orElseThrow(() -> ApiException.notFound("User"));
    }

    /** Registers (or re-registers) a service account for this API key; the key is kept only as its SHA-256. */
    public void upsertServiceAccount(String accountId, String name, String apiKey, Set<String> roles) {
        serviceAccounts.upsert(sha256(apiKey), new ServiceAccountRepository.ServiceAccount(accountId, name, roles));
    }

    public Optional<ServiceAccountRepository.ServiceAccount> findServiceAccount(String apiKey) {
        return serviceAccounts.findByApiKeyHash(sha256(apiKey));
    }

    static String normalize(String email) {
        return email == null ? "" : email.trim().toLowerCase(Locale.ROOT);
    }

    private static void requireUserRoles(Set<String> roles) {
        if (roles.isEmpty() || !Roles.USER_ROLES.containsAll(roles)) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, "INVALID_ROLES",
                    "Roles must be some of " + Roles.USER_ROLES, java.util.Map.of("field", "roles"));
        }
    }

    private String newId() {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return "usr_" + HexFormat.of().formatHex(bytes);
    }

    public static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
