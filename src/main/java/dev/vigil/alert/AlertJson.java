package dev.vigil.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Alerts as JSON: Vigil's own form (outbox payload, webhook body) and Alertmanager's API v2 form. */
public final class AlertJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private AlertJson() {}

    /** Vigil's form: every field of {@link Alert}, plus {@code fingerprint}; times in RFC 3339 (UTC). */
    public static String toJson(Alert alert) {
        return write(node(alert));
    }

    static ObjectNode node(Alert alert) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("name", alert.name());
        node.put("fingerprint", alert.fingerprint());
        node.put("service", alert.service());
        node.put("host", alert.host());
        node.put("severity", alert.severity().label());
        node.put("status", alert.status().name().toLowerCase(java.util.Locale.ROOT));
        node.put("summary", alert.summary());
        node.put("description", alert.description());
        node.put("startsAt", alert.startsAt().toString());
        alert.endsAt().ifPresent(at -> node.put("endsAt", at.toString()));
        ObjectNode labels = node.putObject("labels");
        alert.labels().forEach(labels::put);
        return node;
    }

    /** Reads {@link #toJson(Alert)}'s form back. */
    public static Alert fromJson(String json) {
        try {
            JsonNode node = MAPPER.readTree(json);
            Map<String, String> labels = new TreeMap<>();
            node.path("labels")
                    .properties()
                    .forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
            return new Alert(
                    node.path("name").asText(),
                    node.path("service").asText(),
                    node.path("host").asText(),
                    Severity.valueOf(node.path("severity").asText().toUpperCase(java.util.Locale.ROOT)),
                    node.path("summary").asText(),
                    node.path("description").asText(),
                    Alert.Status.valueOf(node.path("status").asText().toUpperCase(java.util.Locale.ROOT)),
                    Instant.parse(node.path("startsAt").asText()),
                    node.hasNonNull("endsAt")
                            ? Optional.of(Instant.parse(node.get("endsAt").asText()))
                            : Optional.empty(),
                    labels);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalArgumentException("not a Vigil alert: " + json, e);
        }
    }

    /**
     * Alertmanager API v2 ({@code POST /api/v2/alerts}) body: labels {@code alertname, service, host, severity} and
     * the alert's own labels; annotations {@code summary, description, action}; {@code startsAt}, {@code endsAt}.
     */
    public static String alertmanager(List<Alert> alerts) {
        ArrayNode array = MAPPER.createArrayNode();
        for (Alert alert : alerts) {
            ObjectNode node = array.addObject();
            ObjectNode labels = node.putObject("labels");
            alert.labels().forEach(labels::put);
            labels.put("alertname", alert.name());
            labels.put("service", alert.service());
            labels.put("host", alert.host());
            labels.put("severity", alert.severity().label());
            labels.remove("action");
            ObjectNode annotations = node.putObject("annotations");
            annotations.put("summary", alert.summary());
            annotations.put("description", alert.description());
            annotations.put("action", alert.action());
            node.put("startsAt", alert.startsAt().toString());
            alert.endsAt().ifPresent(at -> node.put("endsAt", at.toString()));
        }
        return write(array);
    }

    private static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
