package com.admintk.orchestrator.benchmarks.bare;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;

/** One route, so the router, serde and security filter chain are built as in any real app. */
@Controller("/hello")
@Requires(property = BareApp.MARKER, value = "true")
@Secured(SecurityRule.IS_ANONYMOUS)
public class Hello {

    @Serdeable
    public record Greeting(String text) {
    }

    @Get
    public Greeting hello() {
        return new Greeting("hello");
    }
}
