package dev.vigil.cli;

import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The top-level {@code vigil} command: global options, and the list of subcommands. */
@Command(
        name = "vigil",
        description = "Keeps services running and tells people when they don't.",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        subcommands = {
            StartCommand.class,
            StopCommand.class,
            RestartCommand.class,
            StatusCommand.class,
            ListCommand.class,
            HostsCommand.class,
            FleetCommand.class,
            RolloutCommand.class,
            CheckConfigCommand.class,
            DaemonCommand.class,
            ReloadCommand.class,
            ResetCommand.class,
            EventsCommand.class,
            CheckCommand.class,
            AlertCommand.class,
            InstallCommand.class,
            SetupCommand.class,
            ImportCommand.class,
            VersionCommand.class,
            CommandLine.HelpCommand.class
        },
        exitCodeListHeading = "%nExit codes (LSB convention; see docs/cli.md):%n",
        exitCodeList = {
            " 0:success, or the service is running",
            " 1:generic failure, or dead but pidfile exists (status)",
            " 2:invalid arguments",
            " 3:not running (status)",
            " 4:status unknown (status)",
            " 6:not configured (bad or missing configuration, unknown service)",
            " 7:failed to start, or not running after the action"
        })
final class VigilCommand implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = {"-c", "--config"},
            scope = ScopeType.INHERIT,
            paramLabel = "FILE",
            description = "Configuration file (TOML or usrsvc .cfg). Default: $VIGIL_CONFIG, else "
                    + "/etc/vigil/vigil.toml for root, ~/.config/vigil/vigil.toml for others (~/usrsvc.cfg if only "
                    + "that exists).")
    Path config;

    @Option(
            names = "--stacktrace",
            scope = ScopeType.INHERIT,
            description = "Print the stack trace of an internal error.")
    boolean stacktrace;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say what to do: a command is missing");
    }
}
