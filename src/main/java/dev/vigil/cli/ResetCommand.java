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

    @Parameters(arity = "1..*", paramLabel = "NAME", description = "Service names, or \"all\".")
    List<String> names;

    @Override
    public Integer call() throws Exception {
        VigilConfig config = Session.loadConfig(root);
        var selection = Session.control(config).select(names);
        new Commander(config)
                .reset(selection.targets())
                .forEach(spec.commandLine().getOut()::println);
        return ExitCodes.SUCCESS;
    }
}
