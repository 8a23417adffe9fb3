package com.admintk.orchestrator.live;

import com.admintk.orchestrator.error.ApiException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ServerPathsTest {

    @Test
    void pathsAreNormalisedInsideTheServerRoot() {
        assertEquals("/", ServerPaths.directory("directory", null));
        assertEquals("/", ServerPaths.directory("directory", "  "));
        assertEquals("/plugins", ServerPaths.directory("directory", "plugins/"));
        assertEquals("/a/c", ServerPaths.normalise("file", "//a/./b/../c"));
        assertEquals("/eula.txt", ServerPaths.within("files[0]", "/plugins", "../eula.txt"));
        assertEquals("plugins/Old.jar", ServerPaths.relative(ServerPaths.within("files[0]", "/plugins/", "Old.jar")));
    }

    @Test
    void escapesControlCharactersAndTheRootItselfAreRefused() {
        for (String bad : new String[]{"..", "../../etc/passwd", "/plugins/../../etc", "a/\u0000/b", "a\nb", "a\u0085b",
                "a\\b", "/" + "x".repeat(1100), "/" + "é".repeat(128) + "/f"}) {
            ApiException refused = assertThrows(ApiException.class, () -> ServerPaths.normalise("file", bad), bad);
            assertEquals("INVALID_PATH", refused.code());
            assertEquals("file", refused.details().get("field"));
        }
        assertEquals("INVALID_PATH", assertThrows(ApiException.class, () -> ServerPaths.target("file", "/a/..")).code());
        assertEquals("INVALID_PATH", assertThrows(ApiException.class, () -> ServerPaths.within("files[0]", "/", ".")).code());
        assertEquals("INVALID_PATH", assertThrows(ApiException.class, () -> ServerPaths.target("file", null)).code());
    }
}
