package dev.vigil.cli;

import dev.vigil.install.InstallException;
import dev.vigil.install.InstallReport;
import dev.vigil.install.InstallRequest;
import dev.vigil.install.Installer;
import dev.vigil.install.UnitKind;
import dev.vigil.install.VigilUnit;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil install systemd}: writes a unit that runs the Vigil daemon under systemd (docs/systemd.md). */
@Command(
        name = "install",
        description = "Set Vigil up to run under a service manager.",
        mixinStandardHelpOptions = true,
        subcommands = {InstallCommand.Systemd.class})
final class InstallCommand implements Runnable {
    /** The system property bin/vigil sets to its own real path. */
    static final String LAUNCHER_PROPERTY = "vigil.launcher";

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say what to install into: systemd");
    }

    @Command(
            name = "systemd",
            description = "Write a systemd unit for 'vigil daemon': vigil.service for the host (default), for your"
                    + " account's user manager (--user), or vigil@.service, one daemon per account (--template)."
                    + " Exit 0 when written or already up to date, 1 when refused or failed, 2 on bad arguments.",
            mixinStandardHelpOptions = true)
    static final class Systemd implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--user", description = "A user unit for systemctl --user, in ~/.config/systemd/user.")
        boolean user;

        @Option(names = "--template", description = "The template vigil@.service: vigil@alice runs as alice.")
        boolean template;

        @Option(names = "--dry-run", description = "Print the unit and where it would go; write nothing.")
        boolean dryRun;

        @Option(names = "--force", description = "Replace an existing unit file that differs.")
        boolean force;

        @Option(
                names = "--root",
                paramLabel = "DIR",
                description = "Install under DIR instead of / (packaging, tests). Default: /.")
        Path root = Path.of("/");

        @Option(
                names = "--launcher",
                paramLabel = "PATH",
                description = "Absolute path of bin/vigil as installed, for ExecStart=. Default: the launcher running"
                        + " this command.")
        Path launcher;

        @Option(
                names = "--java-home",
                paramLabel = "DIR",
                description = "A JDK 25 for the daemon (Environment=VIGIL_JAVA_HOME=). Default: the launcher looks.")
        Path javaHome;

        @Option(names = "--json", description = "Print the result as a JSON object.")
        boolean json;

        @Override
        public Integer call() {
            if (user && template) {
                throw bad("--user and --template exclude each other: the template runs in the system manager");
            }
            UnitKind kind = user ? UnitKind.USER : template ? UnitKind.TEMPLATE : UnitKind.SYSTEM;
            VigilUnit unit;
            try {
                unit = new VigilUnit(kind, launcherPath(), Optional.ofNullable(javaHome));
            } catch (IllegalArgumentException e) {
                throw bad(e.getMessage());
            }
            Path directory = kind.directory(root.toAbsolutePath(), System.getenv());
            InstallRequest request =
                    new InstallRequest(unit, directory, System.getProperty("user.name"), force, dryRun);
            InstallReport report;
            try {
                report = Installer.install(request);
            } catch (InstallException e) {
                spec.commandLine().getErr().println("vigil: " + e.getMessage());
                return ExitCodes.GENERIC_FAILURE;
            }
            print(report);
            return report.ok() ? ExitCodes.SUCCESS : ExitCodes.GENERIC_FAILURE;
        }

        private Path launcherPath() {
            if (launcher != null) {
                return launcher;
            }
            String running = System.getProperty(LAUNCHER_PROPERTY);
            if (running == null || running.isBlank()) {
                throw bad("no launcher path: run this through bin/vigil, or say where it is installed with"
                        + " --launcher /absolute/path/to/bin/vigil");
            }
            return Path.of(running);
        }

        private void print(InstallReport report) {
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(Json.write(json(report)));
                return;
            }
            if (report.dryRun()) {
                out.println("# " + report.file());
                out.print(report.content());
                out.println();
            }
            if (!report.ok()) {
                spec.commandLine().getErr().println("vigil: " + report.message());
                return;
            }
            out.println(report.message());
            if (!report.nextSteps().isEmpty()) {
                out.println(report.dryRun() ? "Then run:" : "Next, run:");
                report.nextSteps().forEach(step -> out.println("  " + step.command() + "\n      " + step.why()));
            }
        }

        private static Map<String, Object> json(InstallReport report) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("ok", report.ok());
            map.put("dry_run", report.dryRun());
            map.put("path", report.file().toString());
            map.put("action", report.action().label());
            map.put("message", report.message());
            map.put("content", report.content());
            map.put(
                    "next_steps",
                    report.nextSteps().stream()
                            .map(step -> {
                                Map<String, Object> entry = new LinkedHashMap<>();
                                entry.put("command", step.command());
                                entry.put("why", step.why());
                                return entry;
                            })
                            .toList());
            return map;
        }

        private CommandLine.ParameterException bad(String message) {
            return new CommandLine.ParameterException(spec.commandLine(), message);
        }
    }
}
