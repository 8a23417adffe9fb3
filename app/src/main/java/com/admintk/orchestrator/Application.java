package com.admintk.orchestrator;

import com.admintk.orchestrator.config.ConfigurationCheck;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

import java.util.List;

@OpenAPIDefinition(info = @Info(title = "admintk-orchestrator", version = "1",
        description = "Admin-TK Orchestrator: checkout, provisioning and lifecycle of game servers"))
public class Application {

    /** Exit code when configuration is bad: distinct from a crash, so supervisors do not restart-loop blindly. */
    static final int BAD_CONFIGURATION = 78;

    public static void main(String[] args) {
        List<String> problems = checkConfiguration(args);
        if (!problems.isEmpty()) {
            problems.forEach(problem -> System.err.println("Invalid configuration: " + problem));
            System.exit(BAD_CONFIGURATION);
        }
        Micronaut.build(args).mainClass(Application.class).banner(false).start();
    }

    private static List<String> checkConfiguration(String[] args) {
        try (ApplicationContext probe = ApplicationContext.builder().args(args).banner(false).build()) {
            return ConfigurationCheck.problems(probe.getEnvironment().start());
        }
    }
}
