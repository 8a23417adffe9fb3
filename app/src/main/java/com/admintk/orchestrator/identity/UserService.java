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
        return create(email, null, password, roles, true);
    }

    /**
     * @param password null for a customer the store created: no login until they set one through a reset
     * @return the new user, or empty when the email (or the store id) is taken
     */
    public Optional<UserRecord> create(String email, String name, String password, Set<String> roles, boolean verified) {
        return insert(email, name, password, roles, verified, null);
    }

    public Optional<UserRecord> createForStore(String externalId, String email, String name) {
        return insert(email, name, null, Set.of(Roles.CLIENT), true, externalId);
    }

    private Optional<UserRecord> insert(String email, String name, String password, Set<String> roles, boolean verified,
                                        String externalId) {
        requireUserRoles(roles);
        UserRecord user = new UserRecord(newId(), normalize(email), password == null ? null : passwords.hash(password),
                Set.copyOf(roles), Instant.now(), name, verified, false, externalId);
        return users.insert(user) ? Optional.of(user) : Optional.empty();
    }

    /**
     * @return the user when email and password match; the same time is spent whether or not the email exists
     * @throws ApiException 403 once the password is right but the account may not log in (disabled, email not
     *                      verified yet): telling it apart is safe only to someone who knows the password
     */
    public Optional<UserRecord> authenticate(String email, String password) {
        Optional<UserRecord> user = findByEmail(email);
        boolean ok = passwords.matches(password, user.map(UserRecord::passwordHash).orElse(null));
        if (ok && user.get().disabled()) {
            throw new ApiException(HttpStatus.FORBIDDEN, "ACCOUNT_DISABLED", "This account is disabled");
        }
        if (ok && !user.get().emailVerified()) {
            throw new ApiException(HttpStatus.FORBIDDEN, "EMAIL_NOT_VERIFIED",
                    "Confirm your email address first: follow the link we sent you");
        }
        return ok ? user : Optional.empty();
    }

    /** Costs what hashing a new password costs, so a repeated registration answers as slowly as a new one. */
    public void spendHashTime(String password) {
        passwords.hash(password);
    }

    /** True when {@code password} is the user's current one. */
    public boolean passwordMatches(UserRecord user, String password) {
        return passwords.matches(password, user.passwordHash());
    }

    public Optional<UserRecord> findByExternalId(String externalId) {
        return users.findByExternalId(externalId);
    }

    public List<UserRecord> find(UserRepository.Query query, int page, int size) {
        return users.find(query, page, size);
    }

    public long count(UserRepository.Query query) {
        return users.count(query);
    }

    public boolean anySuperAdmin() {
        return users.anyWithRole(Roles.SUPER_ADMIN);
    }

    public boolean markVerified(String id, String email) {
        return users.markVerified(id, email);
    }

    public void setPassword(String id, String password, boolean proveMailbox) {
        if (!users.setPassword(id, passwords.hash(password), proveMailbox)) {
            throw ApiException.notFound("User");
        }
    }

    public UserRecord setDisabled(String id, boolean disabled) {
        if (!users.setDisabled(id, disabled)) {
            throw ApiException.notFound("User");
        }
        return users.findById(id).orElseThrow(() -> ApiException.notFound("User"));
    }

    public boolean linkExternal(String id, String externalId, String name, boolean dropPassword) {
        return users.linkExternal(id, externalId, name, dropPassword);
    }

    public boolean updateProfile(String id, String email, String name) {
        return users.updateProfile(id, normalize(email), name);
    }

    public UserRecord setRoles(String id, Set<String> roles) {
        requireUserRoles(roles);
        if (!users.setRoles(id, roles)) {
            throw ApiException.notFound("User");
        }
        return users.findById(id).orElseThrow(() -> ApiException.notFound("User"));
    }

    /**
     * Makes {@code apiKey} the one key of this service account (the key is kept only as its SHA-256): any other key
     * it had stops working now, so a changed {@code STORE_API_KEY} retires the old one.
     */
    public void upsertServiceAccount(String accountId, String name, String apiKey, Set<String> roles) {
        String hash = sha256(apiKey);
        serviceAccounts.upsert(hash, new ServiceAccountRepository.ServiceAccount(accountId, name, roles));
        serviceAccounts.expireOtherKeys(accountId, hash, Instant.now());
    }

    public Optional<ServiceAccountRepository.ServiceAccount> findServiceAccount(String apiKey) {
        return serviceAccounts.findByApiKeyHash(sha256(apiKey));
    }

    public static String normalize(String email) {
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
