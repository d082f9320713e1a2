package dev.vigil.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.config.ServiceConfig;
import dev.vigil.config.VigilConfig;
import dev.vigil.driver.ActionResult;
import dev.vigil.driver.Driver;
import dev.vigil.driver.Drivers;
import dev.vigil.driver.ServiceControl;
import dev.vigil.driver.ServiceControl.Action;
import dev.vigil.store.DesiredState;
import dev.vigil.store.Store;
import dev.vigil.store.StoreException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A person's start, stop, restart or reset, carried out the right way: through the daemon when one runs (so it
 * knows and remembers), else directly (usrsvc's standalone mode), recording the desired state in the store so that
 * a daemon started later does not undo it.
 */
public final class Commander {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Commander.class);

    private final VigilConfig config;
    private final ControlClient client;
    private final Function<ServiceConfig, Driver> drivers;

    public Commander(VigilConfig config) {
        this.config = config;
        this.client = new ControlClient(Daemon.socketOf(config));
        this.drivers = Drivers.local(config);
    }

    /** Who is asking, for the history: "cli:USER". */
    public static String who() {
        return "cli:" + System.getProperty("user.name", "unknown");
    }

    /**
     * Acts on {@code services}; {@code onEach} hears of each outcome as it is known.
     *
     * @throws IOException when a daemon runs but the exchange with it failed
     */
    public List<ServiceControl.Outcome> act(
            Action action, List<ServiceConfig> services, boolean parallel, Consumer<ServiceControl.Outcome> onEach)
            throws IOException {
        if (services.isEmpty()) {
            return List.of();
        }
        ServiceControl control = new ServiceControl(config, drivers);
        if (!client.daemonRunning()) {
            List<ServiceControl.Outcome> outcomes = control.apply(action, services, parallel, onEach);
            remember(outcomes);
            return outcomes;
        }
        List<ServiceControl.Outcome> outcomes = new ArrayList<>();
        for (ServiceControl.Step step : control.plan(action, services)) {
            for (List<ServiceConfig> wave : step.waves()) {
                Optional<JsonNode> reply =
                        client.send(request(step.action().verb(), wave, parallel), Daemon.REQUEST_BOUND);
                if (reply.isEmpty()) {
                    throw new IOException("the daemon went away in the middle of " + action.verb());
                }
                outcomes.addAll(fromDaemon(step.action(), wave, reply.get(), onEach));
            }
        }
        return outcomes;
    }

    /**
     * What the daemon knows of each service it supervises (desired state, phase, restarts in the window, give-up
     * end, last reason), by name; empty when no daemon runs.
     */
    public Map<String, JsonNode> supervision() throws IOException {
        Optional<JsonNode> reply = client.send(JSON.createObjectNode().put("op", "status"), Daemon.REQUEST_BOUND);
        Map<String, JsonNode> byName = new java.util.LinkedHashMap<>();
        reply.ifPresent(
                r -> r.path("services").forEach(s -> byName.put(s.path("name").asText(), s)));
        return byName;
    }

    /**
     * Sends a test alert to {@code sinks} (every sink when empty): through the daemon when one runs, else directly,
     * waiting up to {@code bound} for delivery. Returns what happened, for people.
     */
    public String testAlert(List<String> sinks, java.time.Duration bound) throws IOException {
        ObjectNode request = JSON.createObjectNode().put("op", "alert-test");
        ArrayNode names = request.putArray("sinks");
        sinks.forEach(names::add);
        Optional<JsonNode> reply = client.send(request, Daemon.REQUEST_BOUND);
        if (reply.isPresent()) {
            failIfRejected(reply.get());
            return reply.get().path("message").asText();
        }
        var spec = config.settings().alerts();
        List<String> unknown =
                sinks.stream().filter(n -> !spec.sinks().containsKey(n)).toList();
        if (!unknown.isEmpty()) {
            throw new IOException("no alert sink named " + unknown + " (sinks: "
                    + spec.sinks().keySet() + ")");
        }
        try (Store store = openStore();
                Alerting alerting = new Alerting(
                        spec, store, java.time.InstantSource.system(), dev.vigil.metrics.Pusher.localHostname())) {
            alerting.test(sinks);
            List<String> targets = sinks.isEmpty() ? List.copyOf(spec.sinks().keySet()) : sinks;
            return alerting.drain(bound, targets)
                    ? "test alert delivered to " + targets
                    : "test alert not yet delivered to every sink of " + targets + " within " + bound.toSeconds()
                            + "s; it stays in the outbox and a running daemon will retry it (see its log)";
        }
    }

    /** Clears give-up windows and back-off; returns a line per service saying what was done. */
    public List<String> reset(List<ServiceConfig> services) throws IOException {
        Optional<JsonNode> reply = client.send(request("reset", services, false), Daemon.REQUEST_BOUND);
        List<String> lines = new ArrayList<>();
        if (reply.isPresent()) {
            failIfRejected(reply.get());
            services.forEach(s -> lines.add(s.name() + ": restart counters and give-up window cleared by the daemon"));
            return lines;
        }
        try (Store store = openStore()) {
            for (ServiceConfig service : services) {
                store.clearRestart(service.name());
                store.append(
                        service.name(), "", "reset", "restart counters cleared by " + who(), Map.of(), Instant.now());
                lines.add(service.name() + ": restart counters and give-up window cleared (no daemon running)");
            }
        }
        return lines;
    }

    /**
     * As {@link #reset} for fleet placements, named {@code SERVICE@HOST}: through the daemon's fleet check, or in the
     * state database when no daemon runs (its next fleet check then starts afresh).
     */
    public List<String> resetPlacements(List<String> placements) throws IOException {
        Optional<JsonNode> reply = client.send(request("reset", placements, false), Daemon.REQUEST_BOUND);
        List<String> lines = new ArrayList<>();
        if (reply.isPresent()) {
            failIfRejected(reply.get());
            reply.get()
                    .path("outcomes")
                    .forEach(o -> lines.add(o.path("message").asText()));
            return lines;
        }
        try (Store store = openStore()) {
            for (String placement : placements) {
                String host = placement.substring(placement.indexOf('@') + 1);
                store.clearRestart(placement);
                store.append(placement, host, "reset", "restart counters cleared by " + who(), Map.of(), Instant.now());
                lines.add(placement + ": restart counters and give-up window cleared (no daemon running)");
            }
        }
        return lines;
    }

    private static ObjectNode request(String action, List<ServiceConfig> services, boolean parallel) {
        return request(action, services.stream().map(ServiceConfig::name).toList(), parallel);
    }

    private static ObjectNode request(String action, java.util.Collection<String> services, boolean parallel) {
        ObjectNode request = JSON.createObjectNode();
        request.put("op", "act");
        request.put("action", action);
        request.put("parallel", parallel);
        ArrayNode names = request.putArray("names");
        services.forEach(names::add);
        return request;
    }

    private List<ServiceControl.Outcome> fromDaemon(
            Action action, List<ServiceConfig> services, JsonNode reply, Consumer<ServiceControl.Outcome> onEach)
            throws IOException {
        failIfRejected(reply);
        List<ServiceControl.Outcome> outcomes = new ArrayList<>();
        JsonNode list = reply.path("outcomes");
        for (int i = 0; i < services.size(); i++) {
            ServiceConfig service = services.get(i);
            JsonNode node = list.path(i);
            ActionResult result = new ActionResult(
                    node.path("ok").asBoolean(false),
                    node.path("message").asText(service.name() + ": no answer from the daemon"),
                    drivers.apply(service).status());
            ServiceControl.Outcome outcome = new ServiceControl.Outcome(service, action, result);
            onEach.accept(outcome);
            outcomes.add(outcome);
        }
        return outcomes;
    }

    private static void failIfRejected(JsonNode reply) throws IOException {
        if (!reply.path("ok").asBoolean(false) && reply.has("error")) {
            throw new IOException("the daemon refused: " + reply.path("error").asText());
        }
    }

    /** Standalone: what a person asked for is what the service should be from now on. */
    private void remember(List<ServiceControl.Outcome> outcomes) {
        try (Store store = openStore()) {
            Instant now = Instant.now();
            for (ServiceControl.Outcome outcome : outcomes) {
                Action action = outcome.action();
                DesiredState desired = action == Action.STOP ? DesiredState.STOPPED : DesiredState.RUNNING;
                String name = outcome.service().name();
                store.setDesired(name, desired, who(), now);
                store.append(
                        name,
                        "",
                        action.verb() + (outcome.result().ok() ? "" : "_failed"),
                        outcome.result().message() + " (by " + who() + ", no daemon running)",
                        Map.of(),
                        now);
            }
        } catch (StoreException e) {
            // the action happened; only its memory is lost, and the person is told
            LOG.warn("could not record the desired states: {}", e.getMessage());
        }
    }

    private Store openStore() {
        return Store.open(config.settings().stateDir().resolve("state.db"));
    }
}
