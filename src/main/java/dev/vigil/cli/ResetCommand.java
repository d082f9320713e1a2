package dev.vigil.cli;

import dev.vigil.config.VigilConfig;
import dev.vigil.control.Commander;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
        name = "reset",
        description = "Clear restart counters, back-off and give-up windows, so the daemon tries again now.",
        mixinStandardHelpOptions = true)
final class ResetCommand implements Callable<Integer> {
    @ParentCommand
    VigilCommand root;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(
            arity = "1..*",
            paramLabel = "NAME",
            description = "Service names, \"all\", or SERVICE@HOST for a fleet service on one host.")
    List<String> names;

    @Override
    public Integer call() throws Exception {
        VigilConfig config = Session.loadConfig(root);
        List<String> local = names.stream().filter(n -> !n.contains("@")).toList();
        List<String> placements = names.stream().filter(n -> n.contains("@")).toList();
        for (String placement : placements) {
            if (!FleetPlacements.exists(config, placement)) {
                spec.commandLine()
                        .getErr()
                        .println(
                                "vigil reset: no fleet service runs as " + placement
                                        + " (SERVICE@HOST: a service with a 'hosts' key on a host it selects; see vigil fleet status)");
                return ExitCodes.NOT_CONFIGURED;
            }
        }
        Commander commander = new Commander(config);
        if (!local.isEmpty()) {
            var selection = Session.control(config).select(local);
            commander.reset(selection.targets()).forEach(spec.commandLine().getOut()::println);
        }
        if (!placements.isEmpty()) {
            commander.resetPlacements(placements).forEach(spec.commandLine().getOut()::println);
        }
        return ExitCodes.SUCCESS;
    }
}
