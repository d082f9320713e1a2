package dev.vigil.cli;

import dev.vigil.driver.ServiceControl.Action;
import picocli.CommandLine.Command;

@Command(
        name = "start",
        description = "Start services that are not running; succeed for those already running.",
        mixinStandardHelpOptions = true)
final class StartCommand extends ActionCommand {
    @Override
    Action action() {
        return Action.START;
    }
}
