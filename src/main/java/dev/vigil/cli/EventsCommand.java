package dev.vigil.cli;

import dev.vigil.config.Durations;
import dev.vigil.config.VigilConfig;
import dev.vigil.store.Event;
import dev.vigil.store.EventQuery;
import dev.vigil.store.Store;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
        name = "events",
        description = "Show the event history: starts, deaths, restarts, give-ups, stops, reloads.",
        mixinStandardHelpOptions = true)
final class EventsCommand implements Callable<Integer> {
    @ParentCommand
    VigilCommand root;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "NAME", description = "Only this service's events.")
    String name;

    @Option(names = "--since", paramLabel = "DURATION", description = "Only events newer than this (\"1h\", \"30m\").")
    String since;

    @Option(names = "--kind", paramLabel = "KIND", description = "Only events of this kind (\"died\", \"gave_up\").")
    String kind;

    @Option(names = "--limit", defaultValue = "100", description = "At most this many, the newest (default 100).")
    int limit;

    @Option(names = "--json", description = "Print a JSON array of objects.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        VigilConfig config = Session.loadConfig(root);
        if (limit < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--limit must be at least 1");
        }
        Optional<Instant> from;
        try {
            from = Optional.ofNullable(since).map(s -> Instant.now().minus(Durations.parse(s)));
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "--since: " + e.getMessage() + " (for example \"1h\" or \"30m\")");
        }
        Path db = config.settings().stateDir().resolve("state.db");
        PrintWriter out = spec.commandLine().getOut();
        if (!Files.exists(db)) {
            out.println(json ? "[]" : "no events yet (" + db + " does not exist)");
            return ExitCodes.SUCCESS;
        }
        List<Event> events;
        try (Store store = Store.open(db)) {
            events = store.events(new EventQuery(Optional.ofNullable(name), from, Optional.ofNullable(kind), limit));
        }
        if (json) {
            out.println(Json.write(events.stream().map(EventsCommand::toMap).toList()));
            return ExitCodes.SUCCESS;
        }
        for (Event e : events) {
            out.println(e.at() + "  " + (e.service().isEmpty() ? "(daemon)" : e.service()) + "  " + e.kind() + "  "
                    + e.message());
        }
        return ExitCodes.SUCCESS;
    }

    private static Map<String, Object> toMap(Event e) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", e.id());
        map.put("at", e.at().toString());
        map.put("service", e.service());
        map.put("host", e.host());
        map.put("kind", e.kind());
        map.put("message", e.message());
        map.put("fields", e.fields());
        return map;
    }
}
