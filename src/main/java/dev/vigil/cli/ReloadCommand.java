package dev.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.config.ConfigException;
import dev.vigil.control.ControlClient;
import dev.vigil.control.Daemon;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
        name = "reload",
        description = "Make the running daemon re-read its configuration. A bad configuration is refused with every "
                + "error and the daemon keeps the one it runs; exit 6. No daemon: exit 7.",
        mixinStandardHelpOptions = true)
final class ReloadCommand implements Callable<Integer> {
    @ParentCommand
    VigilCommand root;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "Print the daemon's answer as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path socket;
        Optional<ConfigException> invalid = Optional.empty();
        try {
            socket = Daemon.socketOf(Session.loadConfig(root));
        } catch (ConfigException e) {
            // still tell the daemon, so that its log says why its configuration was not changed
            invalid = Optional.of(e);
            socket = Session.controlSocketOfInvalid(root);
        }
        Optional<JsonNode> reply = new ControlClient(socket).send(Json.object("op", "reload"), Duration.ofMinutes(1));
        if (invalid.isPresent()) {
            spec.commandLine().getErr().println(ConfigReport.describe(invalid.get()));
            return ExitCodes.NOT_CONFIGURED;
        }
        if (reply.isEmpty()) {
            spec.commandLine()
                    .getErr()
                    .println("vigil: no daemon is running (socket " + socket + "); start it with 'vigil daemon'");
            return ExitCodes.NOT_RUNNING_OR_FAILED_TO_START;
        }
        JsonNode answer = reply.get();
        if (json) {
            out.println(Json.write(answer));
        } else if (answer.path("ok").asBoolean()) {
            out.println(answer.path("changes").isEmpty() ? "reloaded: no change" : "reloaded:");
            answer.path("changes").forEach(c -> out.println("  " + c.asText()));
        } else {
            PrintWriter err = spec.commandLine().getErr();
            err.println("vigil: the daemon refused the new configuration and keeps running on the old one:");
            answer.path("errors").forEach(e -> err.println("  " + e.asText()));
        }
        return answer.path("ok").asBoolean() ? ExitCodes.SUCCESS : ExitCodes.NOT_CONFIGURED;
    }
}
