package dev.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.config.VigilConfig;
import dev.vigil.control.Commander;
import dev.vigil.driver.ServiceControl;
import dev.vigil.driver.ServiceState;
import dev.vigil.driver.ServiceStatus;
import dev.vigil.driver.UnknownServiceException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
        name = "status",
        description = "Show whether services run, with pid, uptime and why. Exit 0 only if all run.",
        mixinStandardHelpOptions = true)
final class StatusCommand implements Callable<Integer> {
    @ParentCommand
    VigilCommand root;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "NAME", description = "Service names, or \"all\" (the default).")
    List<String> names;

    @Option(
            names = {"-P", "--parallel"},
            description = "Ask all services at once.")
    boolean parallel;

    @Option(names = "--json", description = "Print a JSON array of objects.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        VigilConfig config = Session.loadConfig(root);
        ServiceControl control = Session.control(config);
        ServiceControl.Selection selection;
        try {
            selection = control.select(names == null || names.isEmpty() ? List.of("all") : names);
        } catch (UnknownServiceException e) {
            // LSB: status of something we know nothing about is "unknown" (4), not "not configured"
            spec.commandLine().getErr().println("vigil: " + e.getMessage());
            return ExitCodes.STATUS_UNKNOWN;
        }
        List<ServiceStatus> statuses = control.status(selection.targets(), parallel);
        Map<String, JsonNode> daemon = new Commander(config).supervision();
        Instant now = Instant.now();
        if (json) {
            out.println(Json.write(statuses.stream()
                    .map(s -> {
                        Map<String, Object> map = Json.status(s, now);
                        map.put("supervision", daemon.get(s.name()));
                        return map;
                    })
                    .toList()));
        } else {
            StatusTable.print(out, statuses, selection.skippedDisabled(), daemon, now);
        }
        return ExitCodes.status(statuses.stream().map(ServiceStatus::state).toList());
    }

    static boolean isUp(ServiceState state) {
        return state == ServiceState.RUNNING || state == ServiceState.STARTING;
    }
}
