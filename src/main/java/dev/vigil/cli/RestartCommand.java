package dev.vigil.cli;

import dev.vigil.driver.ServiceControl.Action;
import picocli.CommandLine.Command;

@Command(name = "restart", description = "Stop, then start services.", mixinStandardHelpOptions = true)
final class RestartCommand extends ActionCommand {
    @Override
    Action action() {
        return Action.RESTART;
    }
}
