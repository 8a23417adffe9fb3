package com.admintk.orchestrator.tryit;

import com.admintk.orchestrator.config.Role;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The try-it page at {@code /try}: plain HTML and JavaScript that log in, list the person's servers and watch one over
 * the live WebSocket. It exists in role {@code dev} only; a filter rather than a controller or a static-resource
 * mapping, so that no API route appears for it and no other role can switch it on. The page is public: it calls the
 * API with the token its own login form obtains.
 */
@ServerFilter({TryItPage.PATH, TryItPage.PATH + "/**"})
@Requires(property = Role.PROPERTY, pattern = "(?i)dev")
public class TryItPage {

    public static final String PATH = "/try";

    private static final Map<String, MediaType> FILES = Map.of(
            "index.html", MediaType.TEXT_HTML_TYPE,
            "try.js", MediaType.of("application/javascript"),
            "try.css", MediaType.of("text/css"));

    private final Map<String, byte[]> contents = new HashMap<>();

    public TryItPage() {
        for (String name : FILES.keySet()) {
            contents.put(name, load(name));
        }
    }

    @RequestFilter
    @Nullable
    public HttpResponse<byte[]> serve(HttpRequest<?> request) {
        if (request.getMethod() != HttpMethod.GET && request.getMethod() != HttpMethod.HEAD) {
            return null;
        }
        String path = request.getPath();
        String name = path.equals(PATH) || path.equals(PATH + "/") ? "index.html" : path.substring(PATH.length() + 1);
        MediaType type = FILES.get(name);
        if (type == null) {
            return null;
        }
        return HttpResponse.ok(contents.get(name)).contentType(type);
    }

    private static byte[] load(String name) {
        try (InputStream in = TryItPage.class.getResourceAsStream("/tryit/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the try-it page's " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
