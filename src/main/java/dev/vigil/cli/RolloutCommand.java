package dev.vigil.cli;

import dev.vigil.config.VigilConfig;
import dev.vigil.driver.ServiceLock;
import dev.vigil.rollout.HostHealth;
import dev.vigil.rollout.RolloutEngine;
import dev.vigil.rollout.RolloutLock;
import dev.vigil.rollout.RolloutSession;
import dev.vigil.rollout.RolloutSpec;
import dev.vigil.rollout.RunResult;
import dev.vigil.rollout.Safety;
import dev.vigil.rollout.Step;
import dev.vigil.store.RolloutAlertRecord;
import dev.vigil.store.RolloutHostRecord;
import dev.vigil.store.RolloutPause;
import dev.vigil.store.Store;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code vigil rollout run|status|pause|resume NAME}: rolling restarts of fleet hosts (docs/rollouts.md). */
@Command(
        name = "rollout",
        description = "Rolling restarts of fleet hosts: one host after the other, never below min_ok healthy hosts.",
        mixinStandardHelpOptions = true,
        subcommands = {
            RolloutCommand.Run.class,
            RolloutCommand.Status.class,
            RolloutCommand.Pause.class,
            RolloutCommand.Resume.class
        })
final class RolloutCommand {
    static final String NEVER_RUN = "never run: the next due times below are where the first run would place each host";

    @ParentCommand
    VigilCommand root;

    /** What every subcommand takes: the rollout's name, under {@code vigil rollout}. */
    abstract static class Named {
        @ParentCommand
        RolloutCommand rollout;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "The rollout ([rollout.NAME]).")
        String name;
    }

    @Command(
            name = "run",
            description = "Restart the rollout's hosts now (or only the due ones with --due), half-done host first."
                    + " Exit 0 done, 1 paused or refused by the safety rule, 7 a step failed (now paused).",
            mixinStandardHelpOptions = true)
    static final class Run extends Named implements Callable<Integer> {
        @Option(names = "--host", paramLabel = "HOST", description = "Only this host.")
        String host;

        @Option(names = "--due", description = "Only hosts whose next-due time has passed, inside allowed windows.")
        boolean due;

        @Option(names = "--dry-run", description = "Print the plan and the health observed now; change nothing.")
        boolean dryRun;

        @Override
        @SuppressWarnings("try") // the lock is only held
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            VigilConfig config = Session.loadConfig(rollout.root);
            Optional<RolloutSpec> found = find(config, name, err);
            if (found.isEmpty()) {
                return ExitCodes.NOT_CONFIGURED;
            }
            if (dryRun) {
                try (RolloutSession session = RolloutSession.open(config, found.get(), false, line -> {})) {
                    plan(out, session, Optional.ofNullable(host));
                }
                return ExitCodes.SUCCESS;
            }
            ServiceLock lock;
            try {
                lock = RolloutLock.acquire(config.settings().stateDir(), name);
            } catch (java.io.IOException e) {
                err.println("vigil rollout run: " + e.getMessage());
                return ExitCodes.GENERIC_FAILURE;
            }
            try (ServiceLock held = lock;
                    RolloutSession session = RolloutSession.open(config, found.get(), true, line -> {
                        out.println(line);
                        out.flush();
                    })) {
                RunResult result;
                try {
                    result = session.engine().run(Optional.ofNullable(host), due);
                } catch (IllegalArgumentException e) {
                    err.println("vigil rollout run: " + e.getMessage());
                    return ExitCodes.INVALID_ARGUMENTS;
                }
                out.println(result.outcome().name().toLowerCase(java.util.Locale.ROOT) + ": " + result.message());
                return switch (result.outcome()) {
                    case DONE -> ExitCodes.SUCCESS;
                    case PAUSED, REFUSED, HALTED -> ExitCodes.GENERIC_FAILURE;
                    case FAILED -> ExitCodes.NOT_RUNNING_OR_FAILED_TO_START;
                };
            }
        }
    }

    @Command(
            name = "status",
            description = "Each host's schedule, progress and health now; the pause and the alerts that fire.",
            mixinStandardHelpOptions = true)
    static final class Status extends Named implements Callable<Integer> {
        @Option(names = "--json", description = "Print one JSON object.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            VigilConfig config = Session.loadConfig(rollout.root);
            Optional<RolloutSpec> found = find(config, name, spec.commandLine().getErr());
            if (found.isEmpty()) {
                return ExitCodes.NOT_CONFIGURED;
            }
            try (RolloutSession session = RolloutSession.open(config, found.get(), false, line -> {})) {
                RolloutEngine engine = session.engine();
                boolean neverRun = session.store().rolloutHosts(name).isEmpty();
                List<RolloutHostRecord> records = engine.records(false);
                List<HostHealth> health = engine.observe();
                Optional<RolloutPause> pause = session.store().rolloutPause(name);
                List<RolloutAlertRecord> alerts = session.alerts().firing();
                if (json) {
                    Map<String, Object> map = json(found.get(), records, health, pause, alerts);
                    map.put("never_run", neverRun);
                    out.println(Json.write(map));
                } else {
                    if (neverRun) {
                        out.println(NEVER_RUN);
                    }
                    table(out, records, health);
                    out.println(pause.map(p -> "paused since " + p.since() + ": " + p.reason()
                                    + p.resumeAt()
                                            .map(t -> " (goes on at " + t + ")")
                                            .orElse(""))
                            .orElse("not paused"));
                    alerts.forEach(
                            a -> out.println("alert " + a.alert() + (a.host().isEmpty() ? "" : " on " + a.host())
                                    + " since " + a.since() + ": " + a.summary()));
                }
                return pause.isPresent() || !alerts.isEmpty() ? ExitCodes.GENERIC_FAILURE : ExitCodes.SUCCESS;
            }
        }
    }

    @Command(
            name = "pause",
            description = "Stop the rollout after the host in progress.",
            mixinStandardHelpOptions = true)
    static final class Pause extends Named implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            return pauseOrResume(rollout.root, spec, name, true);
        }
    }

    @Command(name = "resume", description = "Lift a pause: the next run goes on.", mixinStandardHelpOptions = true)
    static final class Resume extends Named implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            return pauseOrResume(rollout.root, spec, name, false);
        }
    }

    private static int pauseOrResume(
            VigilCommand root, picocli.CommandLine.Model.CommandSpec spec, String name, boolean pause)
            throws Exception {
        VigilConfig config = Session.loadConfig(root);
        if (find(config, name, spec.commandLine().getErr()).isEmpty()) {
            return ExitCodes.NOT_CONFIGURED;
        }
        String who = System.getProperty("user.name", "someone");
        try (Store store = Store.open(config.settings().stateDir().resolve("state.db"))) {
            Instant now = Instant.now();
            if (pause) {
                store.pauseRollout(name, new RolloutPause("paused by " + who, now, Optional.empty()));
            } else {
                store.resumeRollout(name);
            }
            store.append(
                    "rollout:" + name,
                    "",
                    pause ? "rollout-paused" : "rollout-resumed",
                    (pause ? "paused" : "resumed") + " by " + who,
                    Map.of(),
                    now);
        }
        spec.commandLine().getOut().println("rollout " + name + (pause ? " paused" : " resumed"));
        return ExitCodes.SUCCESS;
    }

    private static Optional<RolloutSpec> find(VigilConfig config, String name, PrintWriter err) {
        Optional<RolloutSpec> spec = config.rollout(name);
        if (spec.isEmpty()) {
            err.println("vigil rollout: no rollout is called '" + name + "' (rollouts: "
                    + (config.rollouts().isEmpty()
                            ? "none; docs/rollouts.md"
                            : String.join(
                                    ", ",
                                    config.rollouts().stream()
                                            .map(RolloutSpec::name)
                                            .toList()))
                    + ")");
        }
        return spec;
    }

    /** The dry run: order, steps, health now and what the safety rule says; nothing is written or changed. */
    private static void plan(PrintWriter out, RolloutSession session, Optional<String> only) {
        RolloutEngine engine = session.engine();
        RolloutSpec spec = engine.spec();
        List<HostHealth> health = engine.observe();
        out.println("rollout " + spec.name()
                + spec.preset().map(p -> " (preset " + p + ")").orElse("") + ": "
                + engine.order().size() + " hosts, max_parallel " + spec.maxParallel() + ", min_ok " + spec.minOk()
                + ", healthy = " + spec.healthy());
        out.println("steps on each host:");
        int i = 1;
        for (Step step : spec.steps()) {
            out.println("  " + i++ + ". " + step.describe());
        }
        out.println("  " + i + ". health gate: " + String.join(", ", spec.healthy()) + " active for "
                + spec.stayHealthy().toSeconds() + "s within "
                + spec.healthDeadline().toSeconds() + "s"
                + spec.manager()
                        .map(m -> ", and listed by the manager (" + m + ")")
                        .orElse(""));
        Optional<RolloutPause> pause = session.store().rolloutPause(spec.name());
        pause.ifPresent(p -> out.println("PAUSED since " + p.since() + ": " + p.reason()));
        if (session.store().rolloutHosts(spec.name()).isEmpty()) {
            out.println(NEVER_RUN);
        }
        out.println("order (health observed now):");
        List<RolloutHostRecord> records = engine.records(false);
        for (int n = 0; n < records.size(); n++) {
            RolloutHostRecord r = records.get(n);
            if (only.isPresent() && !only.get().equals(r.host())) {
                continue;
            }
            HostHealth h = health.get(n);
            String verdict = Safety.refusal(health, r.host(), List.of(), spec.minOk())
                    .map(why -> "REFUSED: " + why)
                    .orElse("may go down");
            out.println("  " + (n + 1) + ". " + r.host() + ": " + (h.healthy() ? "healthy" : "NOT healthy") + " ("
                    + h.detail() + "); next due " + r.nextDue()
                    + (r.inProgress() ? "; HALF-DONE at step " + (r.step() + 1) : "") + "; " + verdict);
        }
        out.println("dry run: nothing was changed");
    }

    private static void table(PrintWriter out, List<RolloutHostRecord> records, List<HostHealth> health) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"HOST", "HEALTH", "PROGRESS", "NEXT DUE", "LAST SUCCESS", "LAST ERROR"});
        for (int i = 0; i < records.size(); i++) {
            RolloutHostRecord r = records.get(i);
            rows.add(new String[] {
                r.host(),
                health.get(i).healthy()
                        ? "healthy"
                        : "not healthy: " + health.get(i).detail(),
                r.inProgress() ? "step " + (r.step() + 1) : "idle",
                r.nextDue().toString(),
                r.lastSuccess().map(Instant::toString).orElse("-"),
                r.lastError().isEmpty() ? "-" : r.lastError()
            });
        }
        Table.print(out, rows);
    }

    private static Map<String, Object> json(
            RolloutSpec spec,
            List<RolloutHostRecord> records,
            List<HostHealth> health,
            Optional<RolloutPause> pause,
            List<RolloutAlertRecord> alerts) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("rollout", spec.name());
        map.put("paused", pause.isPresent());
        map.put("pause_reason", pause.map(RolloutPause::reason).orElse(null));
        map.put(
                "resume_at",
                pause.flatMap(RolloutPause::resumeAt).map(Instant::toString).orElse(null));
        List<Map<String, Object>> hosts = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            RolloutHostRecord r = records.get(i);
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("host", r.host());
            h.put("healthy", health.get(i).healthy());
            h.put("health", health.get(i).detail());
            h.put("in_progress", r.inProgress());
            h.put("step", r.inProgress() ? r.step() : null);
            h.put("next_due", r.nextDue().toString());
            h.put("started_at", r.startedAt().map(Instant::toString).orElse(null));
            h.put("last_success", r.lastSuccess().map(Instant::toString).orElse(null));
            h.put("last_error", r.lastError().isEmpty() ? null : r.lastError());
            hosts.add(h);
        }
        map.put("hosts", hosts);
        map.put(
                "alerts",
                alerts.stream()
                        .map(a -> Map.of(
                                "alert",
                                a.alert(),
                                "host",
                                a.host(),
                                "summary",
                                a.summary(),
                                "since",
                                a.since().toString()))
                        .toList());
        return map;
    }
}
