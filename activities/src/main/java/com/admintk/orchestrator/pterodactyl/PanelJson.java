package com.admintk.orchestrator.pterodactyl;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the panel's JSON: item envelopes {@code {object, attributes}}, list envelopes
 * {@code {object:"list", data, meta.pagination}}, relationship envelopes nested under
 * {@code attributes.relationships}, and the {@code errors[]} body of a failure.
 */
public final class PanelJson {

    static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, false);

    private PanelJson() {
    }

    /** The attributes of an item envelope as {@code type}. */
    public static <T> T item(String body, Class<T> type) {
        return bind(attributes(tree(body)), type);
    }

    /** One page of a list envelope. */
    public static <T> Panel.Page<T> page(String body, Class<T> type) {
        JsonNode root = tree(body);
        List<T> items = new ArrayList<>();
        for (JsonNode each : root.path("data")) {
            items.add(bind(attributes(each), type));
        }
        JsonNode p = root.path("meta").path("pagination");
        Panel.Pagination pagination = p.isObject() ? bind(p, Panel.Pagination.class) : null;
        return new Panel.Page<>(List.copyOf(items), pagination);
    }

    /** {@code GET /servers/{s}/websocket} answers {@code {"data": {token, socket}}}, not an envelope. */
    public static Panel.WebsocketCredentials websocket(String body) {
        return bind(tree(body).path("data"), Panel.WebsocketCredentials.class);
    }

    /** The {@code errors[]} of a failure body; empty when the body is not the panel's error shape. */
    public static List<PanelException.PanelError> errors(String body) {
        JsonNode root;
        try {
            root = body == null || body.isBlank() ? null : MAPPER.readTree(body);
        } catch (JsonProcessingException notJson) {
            return List.of();
        }
        if (root == null || !root.path("errors").isArray()) {
            return List.of();
        }
        List<PanelException.PanelError> errors = new ArrayList<>();
        for (JsonNode e : root.path("errors")) {
            JsonNode meta = e.path("meta");
            errors.add(new PanelException.PanelError(text(e, "code"), text(e, "status"), text(e, "detail"),
                    text(meta, "source_field"), text(meta, "rule")));
        }
        return List.copyOf(errors);
    }

    public static String write(Object body) {
        try {
            return MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + body.getClass().getSimpleName(), e);
        }
    }

    public static <T> T read(String json, Class<T> type) {
        return bind(tree(json), type);
    }

    static JsonNode tree(String body) {
        try {
            return MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("panel sent malformed JSON", e);
        }
    }

    /**
     * The envelope's attributes with each relationship envelope replaced by its content: a list envelope by the
     * array of its items' attributes, an item envelope by its attributes.
     */
    static JsonNode attributes(JsonNode envelope) {
        JsonNode attributes = envelope.has("attributes") ? envelope.get("attributes").deepCopy() : envelope.deepCopy();
        JsonNode relationships = attributes.path("relationships");
        if (relationships.isObject()) {
            ObjectNode flat = MAPPER.createObjectNode();
            Iterator<Map.Entry<String, JsonNode>> fields = relationships.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> rel = fields.next();
                flat.set(rel.getKey(), unwrap(rel.getValue()));
            }
            ((ObjectNode) attributes).set("relationships", flat);
        }
        return attributes;
    }

    private static JsonNode unwrap(JsonNode envelope) {
        if (envelope.has("data") && envelope.get("data").isArray()) {
            ArrayNode items = MAPPER.createArrayNode();
            envelope.get("data").forEach(each -> items.add(attributes(each)));
            return items;
        }
        if (envelope.has("attributes")) {
            return attributes(envelope);
        }
        return envelope; // e.g. {"object":"null_resource","attributes":null}
    }

    private static <T> T bind(JsonNode node, Class<T> type) {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("panel sent a " + type.getSimpleName() + " we cannot read", e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? null : value.asText();
    }
}
