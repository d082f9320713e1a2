package dev.vigil.cli;

import dev.vigil.config.VigilConfig;
import dev.vigil.control.Daemon;
import dev.vigil.control.DaemonLogging;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
        name = "daemon",
        description = "Run the supervisor in the foreground: adopt what runs, restart what dies, remember stops. "
                + "SIGHUP or 'vigil reload' re-reads the configuration; SIGTERM stops the daemon, never the services.",
        mixinStandardHelpOptions = true)
final class DaemonCommand implements Callable<Integer> {
    @ParentCommand
    VigilCommand root;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        VigilConfig config = Session.loadConfig(root);
        DaemonLogging.configure(config.settings().logFormat());
        try {
            new Daemon(config.source(), config, Daemon::load).run();
            return ExitCodes.SUCCESS;
        } catch (IOException e) {
            spec.commandLine().getErr().println("vigil: " + e.getMessage());
            return ExitCodes.GENERIC_FAILURE;
        }
    }
}
