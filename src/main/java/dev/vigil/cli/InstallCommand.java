package dev.vigil.cli;

import dev.vigil.control.Build;
import dev.vigil.install.ContainerImage;
import dev.vigil.install.InstallException;
import dev.vigil.install.InstallReport;
import dev.vigil.install.InstallRequest;
import dev.vigil.install.Installer;
import dev.vigil.install.UnitKind;
import dev.vigil.install.VigilUnit;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil install systemd}: writes a unit that runs the Vigil daemon under systemd (docs/systemd.md); {@code vigil
 * install container}: a Containerfile and the commands to build and run it (docs/container.md).
 */
@Command(
        name = "install",
        description = "Set Vigil up to run under a service manager.",
        mixinStandardHelpOptions = true,
        subcommands = {InstallCommand.Systemd.class, InstallCommand.Container.class})
final class InstallCommand implements Runnable {
    /** The system property bin/vigil sets to its own real path. */
    static final String LAUNCHER_PROPERTY = "vigil.launcher";

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say what to install into: systemd or container");
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

    @Command(
            name = "container",
            description = "Write a Containerfile for an image that runs 'vigil daemon' (non-root, configuration and"
                    + " state as volumes, the metrics port), and print the podman (or docker) commands that build"
                    + " and run it. Exit 0 when written, 1 when refused or failed.",
            mixinStandardHelpOptions = true)
    static final class Container implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(
                names = "--output",
                paramLabel = "DIR",
                description = "Write DIR/Containerfile. Default: the current directory.")
        Path output = Path.of(".");

        @Option(names = "--force", description = "Replace an existing Containerfile.")
        boolean force;

        @Option(
                names = "--context",
                paramLabel = "DIR",
                description = "The Vigil installation the image copies (bin/vigil, vigil.jar, lib/), named in the"
                        + " build command. Default: the one running this command.")
        Path context;

        @Override
        public Integer call() {
            ContainerImage image;
            try {
                image = new ContainerImage(Build.version());
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("vigil: this build's version " + e.getMessage());
                return ExitCodes.GENERIC_FAILURE;
            }
            Path file = output.toAbsolutePath().normalize().resolve(ContainerImage.FILE_NAME);
            boolean replaced;
            try {
                replaced = image.write(file.getParent(), force);
            } catch (InstallException e) {
                spec.commandLine().getErr().println("vigil: " + e.getMessage());
                return ExitCodes.GENERIC_FAILURE;
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println((replaced ? "replaced " : "created ") + file);
            Path from = context != null ? context.toAbsolutePath().normalize() : installation(image);
            out.println("Build the image (the context is a Vigil installation: bin/vigil, vigil.jar, lib/):");
            out.println("  " + String.join(" ", image.buildCommand("podman", file, from)));
            if (!Files.isRegularFile(from.resolve("vigil.jar"))) {
                out.println("      " + from + " has no vigil.jar: in a source checkout, ./mvnw -Pdist package makes"
                        + " it; or name an unpacked vigil tarball with --context DIR");
            }
            out.println("Run it:");
            List<List<String>> run = image.runCommand("podman");
            for (int i = 0; i < run.size(); i++) {
                out.println(
                        "  " + (i == 0 ? "" : "  ") + String.join(" ", run.get(i)) + (i < run.size() - 1 ? " \\" : ""));
            }
            out.println("With docker: the same commands, docker in place of podman.");
            out.println("Before running it:");
            out.println("  - in " + ContainerImage.CONFIG_DIR + "/vigil.toml, metrics_listen = \"0.0.0.0:"
                    + ContainerImage.METRICS_PORT + "\": Vigil binds 127.0.0.1 by default, unreachable from outside"
                    + " the container; -p publishes it on the host's loopback only");
            out.println("  - the daemon runs as uid " + ContainerImage.UID + ": chown " + ContainerImage.UID + " "
                    + ContainerImage.CONFIG_DIR + "/id_ed25519 (keep it 0600) so that it can read the fleet's key;"
                    + " without a fleet, leave out the id_ed25519 and known_hosts mounts");
            out.println("  - known_hosts is read-only in the container: record the hosts' keys before (ssh-keyscan,"
                    + " checking the fingerprints), since host_keys = \"accept-new\" cannot write there");
            out.println("  - after editing vigil.toml: podman restart vigil (an editor that replaces the file leaves"
                    + " the container with the old one)");
            out.println("See the services: podman exec vigil vigil status");
            return ExitCodes.SUCCESS;
        }

        /** The installation running this command: bin/vigil's parent, or in a checkout the dist build's tree. */
        private static Path installation(ContainerImage image) {
            String launcher = System.getProperty(LAUNCHER_PROPERTY);
            if (launcher == null || launcher.isBlank()) {
                return Path.of("/usr/share/vigil");
            }
            Path top = Path.of(launcher).toAbsolutePath().getParent().getParent();
            if (Files.isRegularFile(top.resolve("vigil.jar"))) {
                return top;
            }
            return top.resolve("target/dist/vigil-" + image.version());
        }
    }
}
