package dev.vigil.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vigil.config.ServiceConfig;
import dev.vigil.driver.ServiceControl;
import dev.vigil.driver.ServiceStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON shapes of the CLI's output. Keys are snake_case and stable: scripts parse them (docs/cli.md). */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {}

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    static com.fasterxml.jackson.databind.node.ObjectNode object(String key, String value) {
        return MAPPER.createObjectNode().put(key, value);
    }

    static Map<String, Object> status(ServiceStatus status, Instant now) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", status.name());
        map.put("state", status.state().label());
        map.put("pid", status.pid().orElse(null));
        map.put("started_at", status.startedAt().map(Instant::toString).orElse(null));
        map.put(
                "uptime_seconds",
                status.startedAt()
                        .map(t -> Duration.between(t, now).toSeconds())
                        .orElse(null));
        map.put("command", status.command());
        map.put("driver", status.driver());
        map.put("detail", status.detail());
        return map;
    }

    static Map<String, Object> outcome(ServiceControl.Outcome outcome, Instant now) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", outcome.service().name());
        map.put("action", outcome.action().verb());
        map.put("ok", outcome.result().ok());
        map.put("message", outcome.result().message());
        map.put("status", status(outcome.result().after(), now));
        return map;
    }

    static Map<String, Object> service(ServiceConfig service, String what) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", service.name());
        map.put("driver", service.driverName());
        map.put("enabled", service.enabled());
        map.put("autostart", service.autostart());
        map.put("autorestart", service.autorestart());
        map.put("what", what);
        map.put("defined_at", service.origin().toString());
        return map;
    }
}
