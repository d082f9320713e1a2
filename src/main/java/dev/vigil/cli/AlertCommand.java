package dev.vigil.cli;

import dev.vigil.config.VigilConfig;
import dev.vigil.control.Commander;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
        name = "alert",
        description = "Alerts.",
        mixinStandardHelpOptions = true,
        subcommands = AlertCommand.Test.class)
final class AlertCommand implements Runnable {
    @ParentCommand
    VigilCommand root;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "say what to do: 'vigil alert test'");
    }

    @Command(
            name = "test",
            description = "Send a test alert (VigilTestAlert) to the named sinks, or to every sink. Exit 1 when it "
                    + "could not be delivered within 30 s.",
            mixinStandardHelpOptions = true)
    static final class Test implements Callable<Integer> {
        @ParentCommand
        AlertCommand parent;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Parameters(arity = "0..*", paramLabel = "SINK", description = "Sink names from [alerts.sink.NAME].")
        List<String> sinks;

        @Override
        public Integer call() throws Exception {
            VigilConfig config = Session.loadConfig(parent.root);
            String result = new Commander(config).testAlert(sinks == null ? List.of() : sinks, Duration.ofSeconds(30));
            spec.commandLine().getOut().println(result);
            return result.startsWith("test alert not yet") ? ExitCodes.GENERIC_FAILURE : ExitCodes.SUCCESS;
        }
    }
}
