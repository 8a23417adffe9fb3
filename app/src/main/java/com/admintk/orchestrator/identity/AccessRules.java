package com.admintk.orchestrator.identity;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecuredAnnotationRule;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.security.rules.SecurityRuleResult;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import java.util.List;

/**
 * Rules checked before {@code @Secured}, so a too-generous annotation cannot open these doors:
 * <ul>
 *   <li>everything under {@code /api/v1/admin} needs ADMIN (SUPER_ADMIN carries ADMIN);</li>
 *   <li>a STORE service account may only call the routes in {@code orchestrator.security.store-routes}
 *       (default {@code POST /api/v1/orders}, {@code GET /api/v1/plans} and
 *       {@code PUT /api/v1/customers/external/*}; a {@code *} stands for one path segment).</li>
 * </ul>
 * Other routes fall through to {@code @Secured} and the intercept-url-map; with neither, Micronaut rejects
 * (deny by default).
 */
@Singleton
public class AccessRules implements SecurityRule<HttpRequest<?>> {

    static final String DEFAULT_STORE_ROUTES = "POST /api/v1/orders,GET /api/v1/plans,PUT /api/v1/customers/external/*";

    private final List<java.util.regex.Pattern> storeRoutes;

    public AccessRules(@Value("${orchestrator.security.store-routes:" + DEFAULT_STORE_ROUTES + "}") List<String> storeRoutes) {
        this.storeRoutes = storeRoutes.stream().map(String::trim).map(AccessRules::routePattern).toList();
    }

    /** "PUT /a/*" matches "PUT /a/x" but not "PUT /a/x/y" nor "PUT /a/": a star is one non-empty segment. */
    private static java.util.regex.Pattern routePattern(String route) {
        String[] parts = route.split("\\*", -1);
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                regex.append("[^/]+");
            }
            regex.append(java.util.regex.Pattern.quote(parts[i]));
        }
        return java.util.regex.Pattern.compile(regex.toString());
    }

    @Override
    public int getOrder() {
        return SecuredAnnotationRule.ORDER - 100;
    }

    @Override
    public Publisher<SecurityRuleResult> check(HttpRequest<?> request, @Nullable Authentication who) {
        return Mono.just(decide(request, who));
    }

    private SecurityRuleResult decide(HttpRequest<?> request, @Nullable Authentication who) {
        String path = request.getPath();
        if (who != null && who.getRoles().contains(Roles.STORE)) {
            String route = request.getMethod() + " " + path;
            return storeRoutes.stream().anyMatch(p -> p.matcher(route).matches()) ? SecurityRuleResult.UNKNOWN : SecurityRuleResult.REJECTED;
        }
        if (path.equals("/api/v1/admin") || path.startsWith("/api/v1/admin/")) {
            boolean admin = who != null && (who.getRoles().contains(Roles.ADMIN) || who.getRoles().contains(Roles.SUPER_ADMIN));
            return admin ? SecurityRuleResult.UNKNOWN : SecurityRuleResult.REJECTED;
        }
        return SecurityRuleResult.UNKNOWN;
    }

    static boolean isMutating(HttpMethod method) {
        return method != HttpMethod.GET && method != HttpMethod.HEAD && method != HttpMethod.OPTIONS;
    }
}
