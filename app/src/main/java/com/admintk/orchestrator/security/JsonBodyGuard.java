package com.admintk.orchestrator.security;

import com.admintk.orchestrator.error.ApiError;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.beans.BeanIntrospection;
import io.micronaut.core.beans.BeanIntrospector;
import io.micronaut.core.beans.BeanProperty;
import io.micronaut.core.order.Ordered;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.ServerHttpRequest;
import io.micronaut.http.body.AvailableByteBody;
import io.micronaut.http.body.ByteBody;
import io.micronaut.http.body.CloseableByteBody;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.filter.FilterContinuation;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.web.router.MethodBasedRouteMatch;
import io.micronaut.web.router.RouteAttributes;
import io.micronaut.web.router.RouteMatch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;

/**
 * Every JSON body is checked before binding: valid UTF-8, bounded nesting, no key that MongoDB could read as an
 * operator or a path ({@code $…}, {@code a.b}), and no field the endpoint's body record does not declare. Each
 * rejection is a 400 whose {@code details.field} names the offending field. Runs after authentication, so an
 * anonymous caller learns nothing about a protected endpoint's body.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class JsonBodyGuard implements Ordered {

    private final JsonMapper json;
    private final InputLimits limits;

    private final long maxRequestSize;

    private final ExecutorService executor;

    public JsonBodyGuard(JsonMapper json, InputLimits limits, io.micronaut.http.server.HttpServerConfiguration server,
                         @Named(TaskExecutors.IO) ExecutorService executor) {
        this.executor = executor;
        this.json = json;
        this.limits = limits;
        this.maxRequestSize = server.getMaxRequestSize();
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.after() + 10;
    }

    /**
     * Around the rest of the chain rather than a {@code CompletableFuture<HttpResponse>} answering null to go on: when
     * the body arrives after the headers, that future completes later, and Micronaut 4.10 carries a null completed
     * later on as a null filter context (NPE in the chain, a 500 for a good request). Proceeding explicitly avoids it.
     */
    @RequestFilter
    public Publisher<MutableHttpResponse<?>> check(ServerHttpRequest<?> request,
                                                   FilterContinuation<Publisher<MutableHttpResponse<?>>> chain) {
        if (!isJson(request) || request.getMethod() == HttpMethod.GET || request.getMethod() == HttpMethod.HEAD) {
            return chain.proceed();
        }
        // Refused before reading: buffering an oversized body fails deep in the server instead of answering 413.
        if (request.getContentLength() > maxRequestSize) {
            return Mono.just(HttpResponse.<ApiError>status(HttpStatus.REQUEST_ENTITY_TOO_LARGE)
                    .body(ApiError.of("PAYLOAD_TOO_LARGE", "The request body is larger than " + maxRequestSize + " bytes",
                            Map.of("field", "$body", "maxBytes", maxRequestSize))));
        }
        CompletableFuture<Optional<MutableHttpResponse<?>>> verdict;
        // A split copy: the controller's @Body binder still gets the original, untouched.
        try (CloseableByteBody copy = request.byteBody().split(ByteBody.SplitBackpressureMode.FASTEST)) {
            CompletableFuture<? extends AvailableByteBody> buffered = copy.buffer();
            if (!buffered.isDone()) {
                // Completed by the shared body buffer while it is still working: the binder must not read the
                // original from inside that call (Micronaut 4.10 asserts against it), so go on from another thread.
                buffered = buffered.thenApplyAsync(body -> body, executor);
            }
            verdict = buffered.handle((available, failure) -> {
                if (failure != null) {
                    return Optional.of(tooLarge(failure) ? HttpResponse.<ApiError>status(HttpStatus.REQUEST_ENTITY_TOO_LARGE)
                            .body(ApiError.of("PAYLOAD_TOO_LARGE", "The request body is too large", Map.of("field", "$body")))
                            : reject("UNREADABLE_BODY", "The request body could not be read", "$body"));
                }
                return Optional.ofNullable(check(request, available.toByteArray()));
            });
        }
        return Mono.fromFuture(verdict).flatMap(rejection -> rejection.<Mono<MutableHttpResponse<?>>>map(Mono::just)
                .orElseGet(() -> Mono.from(chain.proceed())));
    }

    private static boolean tooLarge(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getClass().getSimpleName().contains("ContentLengthExceeded") || t.getClass().getSimpleName().contains("TooLong")) {
                return true;
            }
        }
        return false;
    }

    @Nullable
    private MutableHttpResponse<ApiError> check(HttpRequest<?> request, byte[] body) {
        if (body.length == 0) {
            return null;
        }
        if (!validUtf8(body)) {
            return reject("INVALID_ENCODING", "The request body is not valid UTF-8", "$body");
        }
        if (depth(body) > limits.getMaxDepth()) {
            return reject("TOO_DEEP", "The JSON body nests deeper than " + limits.getMaxDepth() + " levels", "$body");
        }
        if (limits.rawBody(request.getPath())) {
            return null;
        }
        JsonNode tree;
        try {
            tree = json.readValue(body, Argument.of(JsonNode.class));
        } catch (IOException | RuntimeException e) {
            return reject("MALFORMED_JSON", "The request body is not valid JSON", "$body");
        }
        if (tree == null) {
            return null;
        }
        String forbidden = forbiddenKey(tree, "");
        if (forbidden != null) {
            return reject("FORBIDDEN_KEY", "Field names may not start with '$' or contain '.'", forbidden);
        }
        Optional<Argument<?>> bodyType = bodyType(request);
        if (bodyType.isPresent()) {
            String unknown = unknownField(tree, bodyType.get(), "");
            if (unknown != null) {
                return reject("UNKNOWN_FIELD", "Unknown field '" + unknown + "'", unknown);
            }
        }
        return null;
    }

    private static boolean isJson(HttpRequest<?> request) {
        return request.getContentType().map(type -> type.getSubtype().equals("json") || type.getSubtype().endsWith("+json"))
                .orElse(false);
    }

    private static MutableHttpResponse<ApiError> reject(String code, String message, String field) {
        return HttpResponse.<ApiError>status(HttpStatus.BAD_REQUEST).contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(ApiError.of(code, message, Map.of("field", field)));
    }

    static boolean validUtf8(byte[] body) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** Nesting depth counted on the raw bytes, so a hostile body never reaches a recursive parser. */
    static int depth(byte[] body) {
        int depth = 0;
        int max = 0;
        boolean inString = false;
        boolean escaped = false;
        for (byte b : body) {
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (b == '\\') {
                    escaped = true;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == '{' || b == '[') {
                max = Math.max(max, ++depth);
            } else if (b == '}' || b == ']') {
                depth--;
            }
        }
        return max;
    }

    @Nullable
    private static String forbiddenKey(JsonNode node, String path) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> entry : node.entries()) {
                String key = entry.getKey();
                String field = path.isEmpty() ? key : path + "." + key;
                if (key.startsWith("$") || key.contains(".") || key.indexOf('\0') >= 0) {
                    return field;
                }
                String inner = forbiddenKey(entry.getValue(), field);
                if (inner != null) {
                    return inner;
                }
            }
        } else if (node.isArray()) {
            int i = 0;
            for (JsonNode value : node.values()) {
                String inner = forbiddenKey(value, path + "[" + i++ + "]");
                if (inner != null) {
                    return inner;
                }
            }
        }
        return null;
    }

    private static Optional<Argument<?>> bodyType(HttpRequest<?> request) {
        RouteMatch<?> match = RouteAttributes.getRouteMatch(request).orElse(null);
        if (match instanceof MethodBasedRouteMatch<?, ?> method) {
            for (Argument<?> argument : method.getArguments()) {
                if (argument.getAnnotationMetadata().hasAnnotation(Body.class)
                        && argument.getAnnotationMetadata().stringValue(Body.class).isEmpty()) {
                    return Optional.of(argument);
                }
            }
        }
        return Optional.empty();
    }

    /** Compares the JSON keys with the properties of the body record, recursing into nested records and lists. */
    @Nullable
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static String unknownField(JsonNode node, Argument<?> type, String path) {
        if (node.isArray() && (Collection.class.isAssignableFrom(type.getType()) || type.getType().isArray())) {
            Argument<?> element = type.getType().isArray()
                    ? Argument.of(type.getType().getComponentType())
                    : type.getFirstTypeVariable().orElse(null);
            if (element == null) {
                return null;
            }
            int i = 0;
            for (JsonNode value : node.values()) {
                String inner = unknownField(value, element, path + "[" + i++ + "]");
                if (inner != null) {
                    return inner;
                }
            }
            return null;
        }
        if (!node.isObject() || type.getType().getName().startsWith("java.") || Map.class.isAssignableFrom(type.getType())) {
            return null;
        }
        Optional<BeanIntrospection<Object>> introspection =
                BeanIntrospector.SHARED.findIntrospection((Class<Object>) type.getType());
        if (introspection.isEmpty()) {
            return null;
        }
        Set<String> names = new LinkedHashSet<>();
        Map<String, Argument<?>> types = new java.util.HashMap<>();
        for (BeanProperty<Object, Object> property : introspection.get().getBeanProperties()) {
            String name = property.stringValue("com.fasterxml.jackson.annotation.JsonProperty").filter(s -> !s.isEmpty())
                    .orElse(property.getName());
            names.add(name);
            types.put(name, property.asArgument());
        }
        for (Map.Entry<String, JsonNode> entry : node.entries()) {
            String field = path.isEmpty() ? entry.getKey() : path + "." + entry.getKey();
            if (!names.contains(entry.getKey())) {
                return field;
            }
            String inner = unknownField(entry.getValue(), (Argument) types.get(entry.getKey()), field);
            if (inner != null) {
                return inner;
            }
        }
        return null;
    }
}
