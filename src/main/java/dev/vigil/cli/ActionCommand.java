package dev.vigil.cli;

import dev.vigil.config.ServiceConfig;
import dev.vigil.config.VigilConfig;
import dev.vigil.control.Commander;
import dev.vigil.driver.ServiceControl;
import dev.vigil.driver.ServiceControl.Action;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** start, stop and restart: the same shape, a different action. */
abstract class ActionCommand implements Callable<Integer> {
    @ParentCommand
    VigilCommand root;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "NAME", description = "Service names, or \"all\" for every enabled one.")
    List<String> names;

    @Option(
            names = {"-P", "--parallel"},
            description = "Act on all named services at once instead of one after another.")
    boolean parallel;

    @Option(names = "--json", description = "Print the outcome as a JSON array.")
    boolean json;

    abstract Action action();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        VigilConfig config = Session.loadConfig(root);
        ServiceControl.Selection selection = Session.control(config).select(names);
        if (!json) {
            for (ServiceConfig skipped : selection.skippedDisabled()) {
                out.println(skipped.name() + ": " + skipped.notHere().orElse("skipped") + "; skipped");
            }
        }
        List<ServiceControl.Outcome> outcomes = new Commander(config)
                .act(action(), selection.targets(), parallel, outcome -> {
                    if (!json) {
                        out.println(outcome.result().message());
                        out.flush();
                    }
                });
        if (json) {
            Instant now = Instant.now();
            out.println(
                    Json.write(outcomes.stream().map(o -> Json.outcome(o, now)).toList()));
        }
        boolean allOk = outcomes.stream().allMatch(o -> o.result().ok());
        if (allOk) {
            return ExitCodes.SUCCESS;
        }
        return action() == Action.STOP ? ExitCodes.GENERIC_FAILURE : ExitCodes.NOT_RUNNING_OR_FAILED_TO_START;
    }
}
