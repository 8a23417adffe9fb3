package com.admintk.orchestrator.localstack;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's "A walk through the API" block is the walkthrough script's commands, verbatim: the script is what
 * {@link WalkthroughIT} runs against the local stack, so a README edit that is not made in the script (or the
 * other way round) fails here.
 */
class WalkthroughDocumentTest {

    static final String SCRIPT = "deployment/localstack/walkthrough.sh";
    private static final String BEGIN = "# >>> README walkthrough\n";
    private static final String END = "# <<< README walkthrough";
    private static final String SECTION = "## A walk through the API (local stack)";

    @Test
    void theReadmeQuotesTheWalkthroughScriptVerbatim() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        String script = Files.readString(root.resolve(SCRIPT));
        assertTrue(script.contains(BEGIN) && script.contains(END), SCRIPT + " marks the commands the README quotes");
        String commands = script.substring(script.indexOf(BEGIN) + BEGIN.length(), script.indexOf(END));
        assertTrue(commands.contains("curl -sf \"$API/api/v1/orders/$ORDER_ID\""), "the quoted part is the walkthrough itself");

        String readme = Files.readString(root.resolve("README.md"));
        assertTrue(readme.contains(SECTION), "README has the walkthrough section");
        String section = readme.substring(readme.indexOf(SECTION));
        int open = section.indexOf("```sh\n");
        assertTrue(open >= 0, "the section has a sh block");
        String block = section.substring(open + "```sh\n".length(), section.indexOf("```", open + 5));
        assertEquals(commands, block, "README's walkthrough block and " + SCRIPT + " differ");
        assertTrue(section.contains(SCRIPT), "the README names the script");
        assertTrue(Files.isExecutable(root.resolve(SCRIPT)), SCRIPT + " is executable");
    }
}
