package dev.vigil.cli;

import dev.vigil.config.ConfigLocations;
import dev.vigil.config.VigilConfig;
import dev.vigil.fleet.ClassExpression;
import dev.vigil.fleet.Inventory;
import dev.vigil.setup.InitTemplates;
import dev.vigil.setup.Outcome;
import dev.vigil.setup.SetupHosts;
import dev.vigil.setup.SetupReport;
import dev.vigil.setup.StepResult;
import java.io.Console;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code vigil setup init|hosts} (docs/setup.md): a starting configuration, and hosts provisioned for Vigil. */
@Command(
        name = "setup",
        description = "Set a site up: a starting configuration (init), the hosts Vigil drives (hosts).",
        mixinStandardHelpOptions = true,
        subcommands = {SetupCommand.Init.class, SetupCommand.Hosts.class})
final class SetupCommand implements Runnable {
    @ParentCommand
    VigilCommand root;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say what to set up: init or hosts");
    }

    @Command(
            name = "init",
            description = "Write a commented starting configuration for one use at the default location (or --config,"
                    + " --output); never overwrites. Exit 0 when written, 1 when the file exists, 2 on bad arguments.",
            mixinStandardHelpOptions = true)
    static final class Init implements Callable<Integer> {
        @ParentCommand
        SetupCommand setup;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(
                names = "--use",
                paramLabel = "USE",
                description = "local (services on this machine, the default), fleet (services on hosts over SSH) or"
                        + " xrootd (rolling restarts of XRootD, what XRootDRestart did).")
        String use = "local";

        @Option(names = "--output", paramLabel = "FILE", description = "Write here instead of the default location.")
        Path output;

        @Option(names = "--json", description = "Print the result as a JSON object.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            InitTemplates.Use chosen;
            try {
                chosen = InitTemplates.Use.parse(use);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            Map<String, String> env = System.getenv();
            Path file = output != null
                    ? output
                    : ConfigLocations.resolve(
                            Optional.ofNullable(setup.root.config),
                            env,
                            ConfigLocations.runningAsRoot(),
                            ConfigLocations.home(env));
            PrintWriter out = spec.commandLine().getOut();
            try {
                InitTemplates.write(chosen, file);
            } catch (FileAlreadyExistsException e) {
                spec.commandLine()
                        .getErr()
                        .println("vigil: " + file + " exists already; 'setup init' never overwrites a configuration:"
                                + " edit it, move it away, or pass --output OTHER_FILE");
                return ExitCodes.GENERIC_FAILURE;
            }
            if (json) {
                Map<String, Object> map = new LinkedHashMap<>();
                map.put("file", file.toString());
                map.put("use", chosen.id());
                out.println(Json.write(map));
                return ExitCodes.SUCCESS;
            }
            String config = output != null || setup.root.config != null ? " -c " + file : "";
            out.println("wrote " + file + " (use " + chosen.id() + ")");
            out.println("Next:");
            out.println("  edit " + file + "   # every key is explained in its comments");
            out.println("  vigil" + config + " check-config");
            if (chosen != InitTemplates.Use.LOCAL) {
                out.println("  vigil" + config + " setup hosts    # provision the hosts (docs/setup.md)");
            }
            return ExitCodes.SUCCESS;
        }
    }

    @Command(
            name = "hosts",
            description = "Provision the selected hosts over an admin SSH login: record each host key (once confirmed),"
                    + " create the service user ([ssh] user), install a sudo rule for exactly the systemctl commands"
                    + " the configuration needs, install Vigil's public key (its ed25519 pair is generated if"
                    + " missing), prove it all by logging in as that user; then check the alert endpoints. Re-runnable."
                    + " Exit 0 only if every step passed, 1 otherwise (listing what to fix), 6 on a bad configuration.",
            mixinStandardHelpOptions = true)
    static final class Hosts implements Callable<Integer> {
        @ParentCommand
        SetupCommand setup;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--class", paramLabel = "EXPR", description = "Only the hosts this class expression selects.")
        String expression;

        @Option(names = "--dry-run", description = "Show what would be done; change nothing, record no host key.")
        boolean dryRun;

        @Option(
                names = "--accept-new",
                description = "Record the key of every host whose key is not recorded yet without asking (a fresh"
                        + " cluster). A changed key is refused always.")
        boolean acceptNew;

        @Option(names = "--remove", description = "Take away what setup added: the key line, the sudo rule, the user.")
        boolean remove;

        @Option(
                names = "--admin-user",
                paramLabel = "USER",
                description = "The account to log in to the hosts as. Default: root. Another account needs"
                        + " passwordless sudo there (its commands go through sudo -n).")
        String adminUser = "root";

        @Option(
                names = "--admin-key",
                paramLabel = "FILE",
                description = "Its private key. Default: ~/.ssh/id_ed25519, id_ecdsa, id_rsa (those that exist).")
        Path adminKey;

        @Option(
                names = "--from",
                paramLabel = "ADDR",
                description = "The controller's address (or CIDR block) as the hosts see it, for the key's from=."
                        + " Default: the source address each host sees the admin login come from ($SSH_CLIENT).")
        String from;

        @Option(
                names = "--pushgateway",
                paramLabel = "URL",
                description = "Also check that this Pushgateway answers (vigil check --push URL); repeatable.")
        List<URI> pushgateways = new ArrayList<>();

        @Option(names = "--json", description = "Print the steps as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            VigilConfig config = Session.loadConfig(setup.root);
            ClassExpression hosts;
            try {
                hosts = expression == null
                        ? new ClassExpression.Name(Inventory.ANY)
                        : ClassExpression.parse(expression);
            } catch (ClassExpression.ParseException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--class: " + e.getMessage());
            }
            SetupHosts.Request request;
            try {
                request = new SetupHosts.Request(
                        config,
                        hosts,
                        dryRun,
                        acceptNew,
                        remove,
                        adminUser,
                        Optional.ofNullable(adminKey),
                        Optional.ofNullable(from),
                        pushgateways,
                        confirmer());
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            SetupReport report = SetupHosts.run(request);
            print(report);
            return report.ok() ? ExitCodes.SUCCESS : ExitCodes.GENERIC_FAILURE;
        }

        /** A yes/no question on the terminal, when there is one and --json is not asked for. */
        private Optional<SetupHosts.Confirmer> confirmer() {
            Console console = System.console();
            // isTerminal: a Console can exist with stdin a pipe or /dev/null (cron, CI), where no one would answer
            if (console == null || !console.isTerminal() || json || dryRun) {
                return Optional.empty();
            }
            return Optional.of(question -> {
                synchronized (console) {
                    while (true) {
                        String answer = console.readLine("%s [yes/no] ", question);
                        if (answer == null) {
                            return false;
                        }
                        switch (answer.strip().toLowerCase(Locale.ROOT)) {
                            case "yes", "y" -> {
                                return true;
                            }
                            case "no", "n" -> {
                                return false;
                            }
                            default -> console.printf("please answer yes or no%n");
                        }
                    }
                }
            });
        }

        private void print(SetupReport report) {
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Map<String, Object> map = new LinkedHashMap<>();
                map.put("ok", report.ok());
                map.put("dry_run", report.dryRun());
                map.put("remove", report.remove());
                List<Map<String, Object>> steps = new ArrayList<>();
                for (StepResult s : report.steps()) {
                    Map<String, Object> step = new LinkedHashMap<>();
                    step.put("host", s.host());
                    step.put("step", s.step());
                    step.put("outcome", s.outcome().shown());
                    step.put("detail", s.detail());
                    steps.add(step);
                }
                map.put("steps", steps);
                out.println(Json.write(map));
                return;
            }
            int width = report.steps().stream()
                    .mapToInt(s -> s.host().length())
                    .max()
                    .orElse(0);
            for (StepResult s : report.steps()) {
                String detail = s.detail().replace("\n", "\n" + " ".repeat(width + 20));
                out.printf(
                        "%-" + width + "s  %-16s %s: %s%n",
                        s.host(),
                        s.step(),
                        s.outcome().shown(),
                        detail);
            }
            out.println((report.dryRun() ? "dry run: " : "") + report.count(Outcome.DONE) + " done, "
                    + report.count(Outcome.ALREADY) + " already so, "
                    + (report.dryRun() ? report.count(Outcome.WOULD) + " to do, " : "")
                    + report.count(Outcome.FAILED) + " failed"
                    + (report.dryRun() ? "; nothing was changed" : ""));
            if (!report.ok()) {
                out.println("To fix:");
                report.failures().forEach(f -> out.println("  " + f.host() + " " + f.step() + ": " + f.detail()));
            }
        }
    }
}
