package com.admintk.orchestrator.testing;

import java.util.ArrayList;
import java.util.List;

/** Every side effect the fakes saw, in order, so tests can assert sequences (delete before refund). */
public final class Journal {
    private final List<String> entries = new ArrayList<>();

    public synchronized void add(String entry) {
        entries.add(entry);
    }

    public synchronized List<String> entries() {
        return List.copyOf(entries);
    }

    public synchronized long count(String prefix) {
        return entries.stream().filter(e -> e.startsWith(prefix)).count();
    }

    public synchronized int indexOf(String prefix) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }
}
