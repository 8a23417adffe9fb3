package com.admintk.orchestrator.pterodactyl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The panel fixtures: {@code shared/pterodactyl/fixtures/} beside the repository root when present (a clean clone
 * with shared/ next to it), else the copy under {@code src/test/resources/pterodactyl-fixtures/}.
 */
final class Fixtures {

    private static final String RESOURCE_DIR = "pterodactyl-fixtures";
    private static final Path SHARED = locateShared();

    private Fixtures() {
    }

    static String read(String name) {
        try {
            if (SHARED != null && Files.exists(SHARED.resolve(name))) {
                return Files.readString(SHARED.resolve(name));
            }
            try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + "/" + name)) {
                if (in == null) {
                    throw new IllegalArgumentException("no fixture " + name);
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Names of every JSON fixture. */
    static List<String> jsonNames() {
        try {
            Path dir = SHARED != null ? SHARED
                    : Path.of(Fixtures.class.getClassLoader().getResource(RESOURCE_DIR).toURI());
            try (Stream<Path> files = Files.list(dir)) {
                return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList();
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot list fixtures", e);
        }
    }

    static String source() {
        return SHARED != null ? SHARED.toString() : "classpath:" + RESOURCE_DIR;
    }

    private static Path locateShared() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        if (dir == null || dir.getParent() == null) {
            return null;
        }
        Path shared = dir.getParent().resolve("shared/pterodactyl/fixtures");
        return Files.isDirectory(shared) ? shared : null;
    }
}
