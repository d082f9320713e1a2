package dev.vigil.cli;

import dev.vigil.config.ConfigException;
import dev.vigil.driver.UnknownServiceException;
import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point: parses the command line, runs one subcommand, maps what went wrong to an exit code. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs Vigil as the launcher would, writing to the given streams; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new VigilCommand());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler(Main::handle);
        cli.setParameterExceptionHandler((ex, arguments) -> {
            err.println("vigil: " + ex.getMessage());
            String name = ex.getCommandLine().getCommandName();
            err.println("Run '" + (name.equals("vigil") ? "vigil" : "vigil " + name) + " --help' for usage.");
            return ExitCodes.INVALID_ARGUMENTS;
        });
        return cli.execute(args);
    }

    /** The one place that turns exceptions into messages and exit codes. */
    private static int handle(Exception ex, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        switch (ex) {
            case ConfigException config -> {
                err.println(ConfigReport.describe(config));
                return ExitCodes.NOT_CONFIGURED;
            }
            case UnknownServiceException unknown -> {
                err.println("vigil: " + unknown.getMessage());
                return ExitCodes.NOT_CONFIGURED;
            }
            case java.io.IOException io -> {
                // the daemon refused, a file could not be read: the message says which and why
                err.println("vigil: " + io.getMessage());
                return ExitCodes.GENERIC_FAILURE;
            }
            default -> {
                err.println("vigil: internal error: " + ex
                        + (stacktraceWanted(parsed) ? "" : " (run again with --stacktrace for details)"));
                if (stacktraceWanted(parsed)) {
                    ex.printStackTrace(err);
                }
                return ExitCodes.GENERIC_FAILURE;
            }
        }
    }

    private static boolean stacktraceWanted(CommandLine.ParseResult parsed) {
        CommandLine.ParseResult p = parsed;
        while (p != null) {
            if (p.hasMatchedOption("--stacktrace")) {
                return true;
            }
            p = p.subcommand();
        }
        return false;
    }
}
