package com.admintk.orchestrator.identity;

import com.admintk.orchestrator.error.ApiException;
import com.admintk.orchestrator.identity.ServiceAccountRepository.ApiKey;
import com.admintk.orchestrator.identity.ServiceAccountRepository.ServiceAccount;
import jakarta.inject.Singleton;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The store's API keys. A key is {@code sk_} and 43 random characters, answered once when made and kept only as
 * its SHA-256. Rotating makes a new key and lets the older ones work until the overlap ends, so the store can
 * switch without a window where no key works.
 */
@Singleton
public class ServiceAccountService {

    public static final String ID_PATTERN = "svc_[a-z0-9_]{1,40}";

    /** A service account with its usable keys (never the keys themselves). */
    public record Account(String id, String name, Set<String> roles, List<ApiKey> keys) {
    }

    /** A key just made: the only time it is shown. */
    public record IssuedKey(Account account, String apiKey, String keyId, Instant previousKeysExpireAt) {
    }

    private final ServiceAccountRepository repository;
    private final SecureRandom random = new SecureRandom();

    public ServiceAccountService(ServiceAccountRepository repository) {
        this.repository = repository;
    }

    public IssuedKey create(String name) {
        ServiceAccount account = new ServiceAccount("svc_" + hex(12), name, Set.of(Roles.STORE));
        return issue(account, null);
    }

    public List<Account> list() {
        return ServiceAccountRepository.byAccount(repository.usableKeys()).entrySet().stream()
                .map(entry -> account(entry.getKey(), entry.getValue())).toList();
    }

    public Account find(String id) {
        List<ApiKey> keys = repository.usableKeys(id);
        if (keys.isEmpty()) {
            throw ApiException.notFound("Service account");
        }
        return account(id, keys);
    }

    /** A new key; every older key of the account keeps working for {@code overlap}, then stops. */
    public IssuedKey rotate(String id, Duration overlap) {
        Account current = find(id);
        return issue(new ServiceAccount(current.id(), current.name(), current.roles()), Instant.now().plus(overlap));
    }

    /** Every key of the account stops working now. */
    public Account revoke(String id) {
        Account current = find(id);
        repository.revokeAccount(id);
        return new Account(current.id(), current.name(), current.roles(), List.of());
    }

    private IssuedKey issue(ServiceAccount account, Instant othersUntil) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String key = "sk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        String hash = UserService.sha256(key);
        String keyId = "key_" + hex(8);
        repository.addKey(hash, account, keyId, key.substring(0, 7));
        if (othersUntil != null) {
            repository.expireOtherKeys(account.id(), hash, othersUntil);
        }
        return new IssuedKey(find(account.id()), key, keyId, othersUntil);
    }

    private static Account account(String id, List<ApiKey> keys) {
        ApiKey newest = keys.get(keys.size() - 1);
        return new Account(id, newest.name(), newest.roles(), keys);
    }

    private String hex(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
