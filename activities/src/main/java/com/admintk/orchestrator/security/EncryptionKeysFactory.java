package com.admintk.orchestrator.security;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

/** One key ring per process, from the environment; the configuration check has validated it before the context starts. */
@Factory
class EncryptionKeysFactory {

    @Singleton
    EncryptionKeys encryptionKeys(@Value("${orchestrator.security.encryption.keys:}") String keys,
                                  @Value("${orchestrator.security.encryption.active-key:}") String activeKey) {
        return EncryptionKeys.of(keys, activeKey);
    }
}
