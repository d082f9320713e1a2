package dev.vigil.cli;

import dev.vigil.config.VigilConfig;
import dev.vigil.fleet.ClassExpression;
import dev.vigil.fleet.FleetReport;
import dev.vigil.fleet.Inventory;
import dev.vigil.fleet.OpenFleet;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code vigil fleet status|check}: the fleet's services on every host, over SSH (docs/fleet.md). */
@Command(
        name = "fleet",
        description = "Status and repair of the services declared for fleet hosts ('hosts' key), over SSH.",
        mixinStandardHelpOptions = true,
        subcommands = {FleetCommand.Status.class, FleetCommand.Check.class})
final class FleetCommand {
    @ParentCommand
    VigilCommand root;

    /** The options both subcommands take. */
    static final class Selection {
        @Option(
                names = "--class",
                paramLabel = "EXPR",
                description = "Only the hosts this class expression selects, such as 'xrootd&!test'.")
        String expression;

        @Option(names = "--json", description = "Print a JSON array, one object per host.")
        boolean json;

        @Parameters(arity = "0..*", paramLabel = "SERVICE", description = "Fleet services; all of them by default.")
        List<String> services = new ArrayList<>();
    }

    @Command(
            name = "status",
            description = "Every selected service on every selected host, hosts in parallel. Exit 0 only if all run.",
            mixinStandardHelpOptions = true)
    static final class Status implements Callable<Integer> {
        @ParentCommand
        FleetCommand fleet;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        Selection selection;

        @Override
        public Integer call() throws Exception {
            return run(fleet.root, spec, selection, false, false);
        }
    }

    @Command(
            name = "check",
            description = "Check every selected service on every selected host; with --repair, start what must run"
                    + " and does not. Exit 0 only if everything that must run runs at the end.",
            mixinStandardHelpOptions = true)
    static final class Check implements Callable<Integer> {
        @ParentCommand
        FleetCommand fleet;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        Selection selection;

        @Option(names = "--repair", description = "Start each service that must run and does not.")
        boolean repair;

        @Override
        public Integer call() throws Exception {
            return run(fleet.root, spec, selection, true, repair);
        }
    }

    private static int run(
            VigilCommand root,
            picocli.CommandLine.Model.CommandSpec spec,
            Selection selection,
            boolean check,
            boolean repair)
            throws Exception {
        String name = "vigil fleet " + (check ? "check" : "status");
        ClassExpression hosts;
        try {
            hosts = selection.expression == null
                    ? new ClassExpression.Name(Inventory.ANY)
                    : ClassExpression.parse(selection.expression);
        } catch (ClassExpression.ParseException e) {
            spec.commandLine().getErr().println(name + ": --class: " + e.getMessage());
            return ExitCodes.INVALID_ARGUMENTS;
        }
        VigilConfig config = Session.loadConfig(root);
        List<FleetReport.Host> reports;
        try (OpenFleet fleet = Session.fleet(config)) {
            if (fleet.control().placements(hosts, selection.services).isEmpty()) {
                spec.commandLine()
                        .getErr()
                        .println(name + ": no fleet service runs on the selected hosts"
                                + " (a fleet service has a 'hosts' key; docs/fleet.md)");
                return ExitCodes.NOT_CONFIGURED;
            }
            reports = check
                    ? fleet.control().check(hosts, selection.services, repair)
                    : fleet.control().status(hosts, selection.services);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println(name + ": " + e.getMessage());
            return ExitCodes.NOT_CONFIGURED;
        }
        PrintWriter out = spec.commandLine().getOut();
        Instant now = Instant.now();
        if (selection.json) {
            out.println(Json.write(reports.stream().map(r -> json(r, now)).toList()));
        } else {
            print(out, reports, now, check);
        }
        return check ? checkExitCode(reports) : exitCode(reports);
    }

    /**
     * As {@code vigil check}: 0 all ran, 1 something was down and is now repaired, 7 something is still down or
     * could not be seen (a failed repair, a host that did not answer).
     */
    static int checkExitCode(List<FleetReport.Host> reports) {
        boolean repaired = false;
        for (FleetReport.Host host : reports) {
            for (FleetReport.Service s : host.services()) {
                if (s.outcome().bad()) {
                    return ExitCodes.NOT_RUNNING_OR_FAILED_TO_START;
                }
                repaired |= s.outcome() == FleetReport.Outcome.REPAIRED;
            }
        }
        return repaired ? ExitCodes.GENERIC_FAILURE : ExitCodes.SUCCESS;
    }

    /**
     * {@code fleet status}: LSB status codes, as {@code vigil status}: 0 all run, 1 a start failed, 3 something is down, 4 a host could
     * not be reached (nothing is known about it).
     */
    static int exitCode(List<FleetReport.Host> reports) {
        int worst = ExitCodes.RUNNING;
        for (FleetReport.Host host : reports) {
            for (FleetReport.Service s : host.services()) {
                int code =
                        switch (s.outcome()) {
                            case RUNNING, REPAIRED, DISABLED -> ExitCodes.RUNNING;
                            case DOWN -> ExitCodes.NOT_RUNNING;
                            case REPAIR_FAILED -> ExitCodes.DEAD_WITH_PIDFILE;
                            case UNREACHABLE -> ExitCodes.STATUS_UNKNOWN;
                        };
                worst = worse(worst, code);
            }
        }
        return worst;
    }

    private static int worse(int a, int b) {
        List<Integer> order = List.of(
                ExitCodes.RUNNING, ExitCodes.NOT_RUNNING, ExitCodes.DEAD_WITH_PIDFILE, ExitCodes.STATUS_UNKNOWN);
        return order.indexOf(b) > order.indexOf(a) ? b : a;
    }

    private static void print(PrintWriter out, List<FleetReport.Host> reports, Instant now, boolean check) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"HOST", "SERVICE", "STATE", check ? "RESULT" : "PID", "UPTIME", "DETAIL"});
        for (FleetReport.Host host : reports) {
            if (host.unreachable().isPresent()) {
                rows.add(new String[] {
                    host.host().name(),
                    "*",
                    "unreachable",
                    "-",
                    "-",
                    host.unreachable().get()
                });
                continue;
            }
            for (FleetReport.Service s : host.services()) {
                rows.add(new String[] {
                    host.host().name(),
                    s.name(),
                    s.state().label(),
                    check
                            ? s.outcome().label()
                            : s.status().pid().map(String::valueOf).orElse("-"),
                    s.status()
                            .startedAt()
                            .map(t -> StatusTable.uptime(java.time.Duration.between(t, now)))
                            .orElse("-"),
                    s.message().isEmpty() ? s.status().detail() : s.message()
                });
            }
        }
        Table.print(out, rows);
        long hosts = reports.size();
        long unreachable =
                reports.stream().filter(h -> h.unreachable().isPresent()).count();
        long bad = reports.stream().filter(FleetReport.Host::bad).count();
        out.println(hosts + " host" + (hosts == 1 ? "" : "s") + ": " + (hosts - bad) + " fine, " + (bad - unreachable)
                + " with services down, " + unreachable + " unreachable");
    }

    private static Map<String, Object> json(FleetReport.Host host, Instant now) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("host", host.host().name());
        map.put("address", host.host().address());
        map.put("reachable", host.unreachable().isEmpty());
        map.put("error", host.unreachable().orElse(null));
        map.put(
                "services",
                host.services().stream()
                        .map(s -> {
                            Map<String, Object> service = Json.status(s.status(), now);
                            service.put("outcome", s.outcome().label());
                            service.put("message", s.message());
                            return service;
                        })
                        .toList());
        return map;
    }
}
