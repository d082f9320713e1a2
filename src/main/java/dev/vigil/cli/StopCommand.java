package dev.vigil.cli;

import dev.vigil.driver.ServiceControl.Action;
import picocli.CommandLine.Command;

@Command(
        name = "stop",
        description =
                "Stop services (SIGTERM, then SIGKILL after term_to_kill_seconds); succeed for those already stopped.",
        mixinStandardHelpOptions = true)
final class StopCommand extends ActionCommand {
    @Override
    Action action() {
        return Action.STOP;
    }
}
