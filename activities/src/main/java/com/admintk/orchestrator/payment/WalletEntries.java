package com.admintk.orchestrator.payment;

import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** A page of a wallet's history, newest first. {@code page} counts from 0. */
@Serdeable
public record WalletEntries(String customerId, long balance, List<WalletEntry> entries, int page, int size,
                            long total) {
}
