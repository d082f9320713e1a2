package dev.vigil.rollout;

import dev.vigil.alert.AlertName;
import dev.vigil.fleet.HostShells;
import dev.vigil.fleet.Inventory;
import dev.vigil.shell.CommandResult;
import dev.vigil.shell.ExitStatus;
import dev.vigil.store.RolloutHostRecord;
import dev.vigil.store.RolloutPause;
import dev.vigil.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Runs one rollout (docs/rollouts.md): hosts in inventory order, at most {@code max_parallel} at once; before every
 * step that takes a host down, every selected host's health is observed and the step refused when fewer than
 * {@code min_ok} would stay healthy. Each step is journalled in the store before it runs, so a controller killed at
 * any point finds the half-done host when it starts again and completes it (or repairs it, when the safety rule no
 * longer allows completing). A failed step stops the rollout, starts again what the host's steps had taken down,
 * alerts and pauses.
 */
public final class RolloutEngine {
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration MAX_RETRY = Duration.ofSeconds(30);

    private final RolloutSpec spec;
    private final List<Inventory.Host> hosts;
    private final Map<String, HostCommands> commands = new LinkedHashMap<>();
    private final List<HostCommands> managers = new ArrayList<>();
    /** How a manager may list each host: its name, address and the address's IPs. */
    private final Map<String, Set<String>> listedAs = new LinkedHashMap<>();
    /** The manager cmsd's log: /var/log/xrootd/INSTANCE/cmsd.log, INSTANCE from the cmsd unit (cmsd@INSTANCE). */
    private final String managerLog;

    private final Store store;
    private final RolloutAlerts alerts;
    private final InstantSource clock;
    private final ZoneId zone;
    private final Sleeper sleeper;
    private final Consumer<String> log;
    private final RolloutMetrics metrics;

    /** Hosts whose restart is under way in this run: they count as down. */
    private final Set<String> inProgress = Collections.synchronizedSet(new HashSet<>());

    private final Object safetyLock = new Object();
    private volatile RunResult stop;
    /** No new host starts (a reload changed or removed the rollout); hosts under way are completed. */
    private volatile boolean finishing;
    /** Stop at the next step boundary (the daemon stops); hosts under way stay journalled half-done. */
    private volatile boolean halting;

    /** Thrown inside a step whose wait the sleeper cut short because the engine halts. */
    private static final class Halted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Halted() {
            super("halted", null, false, false);
        }
    }

    public RolloutEngine(
            RolloutSpec spec,
            Inventory inventory,
            HostShells shells,
            Store store,
            RolloutAlerts alerts,
            InstantSource clock,
            ZoneId zone,
            Sleeper sleeper,
            Consumer<String> log,
            RolloutMetrics metrics) {
        this.spec = spec;
        this.hosts = inventory.select(spec.hosts());
        hosts.forEach(h -> commands.put(h.name(), new HostCommands(h.name(), shells.shell(h))));
        this.managerLog = "/var/log/xrootd/" + cmsdInstance(spec) + "/cmsd.log";
        if (spec.manager().isPresent()) {
            hosts.forEach(h -> listedAs.put(h.name(), names(h)));
        }
        spec.manager()
                .ifPresent(m ->
                        inventory.select(m).forEach(h -> managers.add(new HostCommands(h.name(), shells.shell(h)))));
        this.store = store;
        this.alerts = alerts;
        this.clock = clock;
        this.zone = zone;
        this.sleeper = sleeper;
        this.log = log;
        this.metrics = metrics;
    }

    public RolloutSpec spec() {
        return spec;
    }

    /** From now on no new host starts in this run; the hosts under way are completed. Any thread may call it. */
    public void finishCurrent() {
        finishing = true;
    }

    /**
     * From now on the run stops at the next step boundary, leaving a host under way journalled half-done (the next
     * run completes it first). A command running now ends first (each is bounded by its timeout); a wait ends early
     * when the engine's sleeper throws InterruptedException, as the daemon's does when it stops. Any thread may call
     * it.
     */
    public void halt() {
        halting = true;
        finishing = true;
    }

    /** The selected hosts, in the order they are restarted. */
    public List<String> order() {
        return hosts.stream().map(Inventory.Host::name).toList();
    }

    /** Every selected host's health, observed now, in order. */
    public List<HostHealth> observe() {
        List<HostCommands> all = List.copyOf(commands.values());
        return dev.vigil.fleet.Fanout.map(all, Math.max(1, all.size()), c -> c.health(spec.healthy()));
    }

    /** The schedule and progress of every selected host, creating (staggered) records for hosts seen first. */
    public List<RolloutHostRecord> records() {
        return records(true);
    }

    /** Like {@link #records()}; with {@code save} false nothing is written (a dry run, a status). */
    public List<RolloutHostRecord> records(boolean save) {
        Map<String, RolloutHostRecord> known = new LinkedHashMap<>();
        store.rolloutHosts(spec.name()).forEach(r -> known.put(r.host(), r));
        List<RolloutHostRecord> result = new ArrayList<>();
        Instant now = clock.instant();
        for (int i = 0; i < hosts.size(); i++) {
            String host = hosts.get(i).name();
            RolloutHostRecord r = known.get(host);
            if (r == null) {
                r = new RolloutHostRecord(
                        spec.name(),
                        host,
                        Schedule.firstDue(now, spec.period(), i, hosts.size()),
                        false,
                        0,
                        Optional.empty(),
                        Optional.empty(),
                        "");
                if (save) {
                    store.saveRolloutHost(r);
                }
            }
            result.add(r);
        }
        return result;
    }

    /**
     * One pass: first a half-done host, then the hosts asked for.
     *
     * @param only one host, when given; else every selected host
     * @param dueOnly only the hosts whose next-due time has passed, and only inside an allowed window (the schedule)
     */
    public RunResult run(Optional<String> only, boolean dueOnly) {
        metrics.heartbeat(clock.instant());
        Optional<RolloutPause> pause = store.rolloutPause(spec.name());
        if (pause.isPresent()) {
            Optional<Instant> at = pause.get().resumeAt();
            if (at.isEmpty() || clock.instant().isBefore(at.get())) {
                stalledIfOverdue("paused: " + pause.get().reason());
                return new RunResult(
                        RunResult.Outcome.PAUSED,
                        List.of(),
                        "rollout " + spec.name() + " is paused since "
                                + pause.get().since() + ": "
                                + pause.get().reason()
                                + at.map(t -> "; it goes on at " + t)
                                        .orElse("; 'vigil rollout resume " + spec.name() + "' goes on"));
            }
            store.resumeRollout(spec.name());
            event("", "rollout-resumed", "the next allowed window began: the rollout goes on", Map.of());
        }
        List<RolloutHostRecord> records = records();
        if (only.isPresent() && records.stream().noneMatch(r -> r.host().equals(only.get()))) {
            throw new IllegalArgumentException(
                    "host " + only.get() + " is not one of rollout " + spec.name() + "'s hosts " + order());
        }
        List<String> restarted = Collections.synchronizedList(new ArrayList<>());
        for (RolloutHostRecord r : records) {
            if (r.inProgress() && !halting) {
                log.accept(r.host() + ": found half-done (journalled before step " + (r.step() + 1) + " of "
                        + spec.steps().size() + "); completing it");
                event(
                        r.host(),
                        "rollout-half-done",
                        "found half-done at step " + (r.step() + 1) + ": completing it",
                        Map.of("step", Integer.toString(r.step())));
                inProgress.add(r.host());
                if (!restartHost(r, r.step())) {
                    return stop;
                }
                restarted.add(r.host());
            }
        }
        // a half-done host is completed at any time (it is down); new ones start only inside a window
        if (dueOnly && !spec.allowed(clock.instant().atZone(zone))) {
            return new RunResult(RunResult.Outcome.DONE, restarted, "outside the allowed windows " + spec.windows());
        }
        Instant now = clock.instant();
        List<RolloutHostRecord> todo = records.stream()
                .filter(r -> !r.inProgress())
                .filter(r -> only.isEmpty() || only.get().equals(r.host()))
                .filter(r -> !dueOnly || !r.nextDue().isAfter(now))
                .toList();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(spec.maxParallel(), todo.size())));
        try {
            List<Future<?>> work = new ArrayList<>();
            for (RolloutHostRecord r : todo) {
                work.add(pool.submit(() -> {
                    if (stop == null && !finishing && startHost(r) && restartHost(current(r.host()), 0)) {
                        restarted.add(r.host());
                    }
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new RunResult(RunResult.Outcome.FAILED, restarted, "interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("rollout " + spec.name() + " failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        if (stop != null) {
            return new RunResult(stop.outcome(), restarted, stop.message());
        }
        if (halting) {
            return new RunResult(RunResult.Outcome.HALTED, restarted, "stopped before starting another host");
        }
        alerts.resolve(AlertName.ROLLOUT_STALLED, "");
        return new RunResult(
                RunResult.Outcome.DONE,
                restarted,
                restarted.isEmpty() ? "no host was due" : "restarted " + String.join(", ", restarted));
    }

    private RolloutHostRecord current(String host) {
        return store.rolloutHosts(spec.name()).stream()
                .filter(r -> r.host().equals(host))
                .findFirst()
                .orElseThrow();
    }

    /**
     * The safety rule before the first step, and the host journalled as in progress, under one lock: two parallel
     * hosts never both pass on the same observation.
     */
    private boolean startHost(RolloutHostRecord r) {
        synchronized (safetyLock) {
            if (stop != null || !safe(r.host())) {
                return false;
            }
            inProgress.add(r.host());
            store.saveRolloutHost(new RolloutHostRecord(
                    r.rollout(),
                    r.host(),
                    r.nextDue(),
                    true,
                    0,
                    Optional.of(clock.instant()),
                    r.lastSuccess(),
                    r.lastError()));
        }
        metrics.started(r.host(), clock.instant());
        event(r.host(), "rollout-start", "restart of " + r.host() + " begins", Map.of());
        log.accept(r.host() + ": restart begins");
        return true;
    }

    /** Observes every host; false (and InsufficientHealthyHosts, the rollout stopped) when {@code host} may not go down. */
    private boolean safe(String host) {
        List<HostHealth> observed = observe();
        Optional<String> refusal = Safety.refusal(observed, host, inProgress, spec.minOk());
        if (refusal.isEmpty()) {
            alerts.resolve(AlertName.INSUFFICIENT_HEALTHY_HOSTS, "");
            return true;
        }
        alerts.fire(
                AlertName.INSUFFICIENT_HEALTHY_HOSTS,
                "",
                "rollout " + spec.name() + ": too few healthy hosts to take " + host + " down",
                refusal.get());
        event(host, "rollout-refused", refusal.get(), Map.of());
        log.accept(host + ": not taken down: " + refusal.get());
        stop = new RunResult(RunResult.Outcome.REFUSED, List.of(), refusal.get());
        return false;
    }

    /** The steps from {@code from} on, then the health gate; false when the rollout must stop. */
    private boolean restartHost(RolloutHostRecord record, int from) {
        String host = record.host();
        HostCommands on = commands.get(host);
        int at = from;
        try {
            for (; at < spec.steps().size(); at++) {
                if (halting) {
                    throw new Halted();
                }
                if (!step(record, on, at, at > 0 || from > 0)) {
                    return false;
                }
            }
            Optional<String> gate = healthGate(on);
            if (gate.isPresent()) {
                fail(
                        record,
                        on,
                        spec.steps().size() - 1,
                        null,
                        new Failure(AlertName.ROLLOUT_RESTART_ERROR, gate.get()));
                return false;
            }
        } catch (Halted e) {
            halted(host, Math.min(at, spec.steps().size() - 1));
            return false;
        }
        succeed(host);
        return true;
    }

    /**
     * Step {@code i} on the host, journalled before it runs; false when the rollout must stop.
     *
     * @param resumed whether the host's restart began in an earlier run, or an earlier step of this one
     */
    private boolean step(RolloutHostRecord record, HostCommands on, int i, boolean resumed) {
        String host = record.host();
        Step step = spec.steps().get(i);
        // the first step of a fresh restart was checked by startHost, under the same lock that marked it
        if (step.takesDown() && resumed) {
            synchronized (safetyLock) {
                if (!safe(host)) {
                    repair(record, on, i, "the safety rule no longer allows completing it");
                    return false;
                }
            }
        }
        store.saveRolloutHost(current(host).withStep(i));
        event(
                host,
                "rollout-step",
                "step " + (i + 1) + "/" + spec.steps().size() + ": " + step.describe(),
                Map.of("step", Integer.toString(i)));
        log.accept(host + ": " + step.describe());
        Optional<Failure> failure = execute(on, step);
        if (failure.isPresent()) {
            fail(record, on, i, step, failure.get());
            return false;
        }
        return true;
    }

    /** The host stays journalled in progress: not repaired, not failed, no alert; the next run completes it. */
    private void halted(String host, int step) {
        String message = "the controller is stopping: left half-done before step " + (step + 1) + " of "
                + spec.steps().size() + ", journalled; the next run completes it first";
        event(host, "rollout-halted", message, Map.of("step", Integer.toString(step)));
        log.accept(host + ": " + message);
        stop = new RunResult(RunResult.Outcome.HALTED, List.of(), host + ": " + message);
    }

    /** Why a step failed, and the alert it fires. */
    record Failure(AlertName alert, String reason) {}

    private Optional<Failure> execute(HostCommands on, Step step) {
        try {
            return switch (step) {
                case Step.Stop(String unit, Duration timeout) -> stopUnit(on, unit, timeout);
                case Step.Start(String unit, Duration timeout) -> unitTo(on, "start", unit, timeout);
                case Step.Restart(String unit, Duration timeout) -> unitTo(on, "restart", unit, timeout);
                case Step.Wait(Duration d) -> {
                    sleeper.sleep(d);
                    yield Optional.empty();
                }
                case Step.UntilNoConnections(int port, Duration timeout, Duration interval) -> {
                    drain(on, port, timeout, interval);
                    yield Optional.empty();
                }
                case Step.UntilCommand(String command, Duration timeout, Duration interval) ->
                    untilCommand(on, command, timeout, interval);
            };
        } catch (InterruptedException e) {
            if (halting) {
                throw new Halted(); // a wait cut short: the step runs again from its start next time
            }
            Thread.currentThread().interrupt();
            return Optional.of(new Failure(AlertName.ROLLOUT_RESTART_ERROR, "interrupted"));
        }
    }

    private Optional<Failure> stopUnit(HostCommands on, String unit, Duration timeout) throws InterruptedException {
        CommandResult r = retrying(on, () -> on.systemctl("stop", unit, timeout));
        if (r.status() instanceof ExitStatus.Unreachable(String reason)) {
            return Optional.of(new Failure(AlertName.ROLLOUT_CONNECT_ERROR, on.host() + " is unreachable: " + reason));
        }
        String state = on.activeState(unit);
        if (r.succeeded() && (state.equals("inactive") || state.equals("failed") && !on.stopTimedOut(unit))) {
            return Optional.empty();
        }
        String why = unit + " did not stop within " + Steps.shown(timeout) + " (systemctl stop "
                + r.status().describe() + ", now " + state + ")";
        if (spec.notStopping() == RolloutSpec.NotStopping.KILL) {
            event(on.host(), "rollout-kill", why + ": sending SIGKILL", Map.of("unit", unit));
            on.kill(unit);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                String after = on.activeState(unit);
                if (after.equals("inactive") || after.equals("failed")) {
                    return Optional.empty();
                }
                sleeper.sleep(Duration.ofSeconds(1));
            }
            why += "; SIGKILL did not stop it either";
        }
        return Optional.of(new Failure(AlertName.NEEDS_REBOOT, why));
    }

    private Optional<Failure> unitTo(HostCommands on, String verb, String unit, Duration timeout)
            throws InterruptedException {
        CommandResult r = retrying(on, () -> on.systemctl(verb, unit, timeout));
        if (r.status() instanceof ExitStatus.Unreachable(String reason)) {
            return Optional.of(new Failure(AlertName.ROLLOUT_CONNECT_ERROR, on.host() + " is unreachable: " + reason));
        }
        String state = on.activeState(unit);
        if (r.succeeded() && state.equals("active")) {
            return Optional.empty();
        }
        if (verb.equals("restart") && on.stopTimedOut(unit)) {
            return Optional.of(new Failure(
                    AlertName.NEEDS_REBOOT,
                    unit + " did not stop within its stop timeout during the restart (systemd Result=timeout); the"
                            + " unit is " + state));
        }
        if (verb.equals("restart") && on.processesLeft(unit)) {
            return Optional.of(new Failure(
                    AlertName.NEEDS_REBOOT,
                    unit + " did not stop during the restart: its old processes still run although the unit is " + state
                            + " (systemctl restart " + r.status().describe() + ")"));
        }
        return Optional.of(new Failure(
                AlertName.ROLLOUT_RESTART_ERROR,
                "systemctl " + verb + " " + unit + " " + r.status().describe()
                        + (r.briefOutput().isEmpty() ? "" : ": " + r.briefOutput()) + "; the unit is " + state));
    }

    private void drain(HostCommands on, int port, Duration timeout, Duration interval) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int n = on.established(port);
        while (n != 0 && System.nanoTime() < deadline) {
            sleeper.sleep(interval);
            n = on.established(port);
        }
        String message = n == 0
                ? "no established connection on port " + port
                : "still " + (n < 0 ? "unknown" : Integer.toString(n)) + " established connections on port " + port
                        + " after " + Steps.shown(timeout) + ": going on";
        event(on.host(), "rollout-drain", message, Map.of("port", Integer.toString(port)));
    }

    private Optional<Failure> untilCommand(HostCommands on, String command, Duration timeout, Duration interval)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            CommandResult r = on.command(command, HostCommands.QUERY_TIMEOUT);
            if (r.succeeded()) {
                return Optional.empty();
            }
            if (System.nanoTime() >= deadline) {
                return Optional.of(new Failure(
                        AlertName.ROLLOUT_RESTART_ERROR,
                        "'" + command + "' did not succeed within " + Steps.shown(timeout) + ": "
                                + r.status().describe()));
            }
            sleeper.sleep(interval);
        }
    }

    /** Runs {@code action} again, with back-off, while its host is unreachable, at most {@code retries} more times. */
    private CommandResult retrying(HostCommands on, java.util.function.Supplier<CommandResult> action)
            throws InterruptedException {
        CommandResult r = action.get();
        Duration delay = FIRST_RETRY;
        for (int i = 0; i < spec.retries() && r.status() instanceof ExitStatus.Unreachable; i++) {
            event(
                    on.host(),
                    "rollout-retry",
                    "unreachable (" + r.status().describe() + "): retry " + (i + 1) + " of " + spec.retries() + " in "
                            + Steps.shown(delay),
                    Map.of());
            sleeper.sleep(delay);
            delay = delay.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : delay.multipliedBy(2);
            r = action.get();
        }
        return r;
    }

    /**
     * Healthy (and, with a manager, re-subscribed) continuously for {@code stay_healthy} within
     * {@code health_deadline}; empty when it was, else why not.
     */
    private Optional<String> healthGate(HostCommands on) {
        long start = System.nanoTime();
        long deadline = start + spec.healthDeadline().toNanos();
        Duration poll = Duration.ofMillis(
                Math.max(200, Math.min(1000, spec.stayHealthy().toMillis() / 3)));
        long healthySince = -1;
        String last = "";
        try {
            while (true) {
                HostHealth h = on.health(spec.healthy());
                Optional<String> notListed = h.healthy() ? notResubscribed(on.host()) : Optional.of("");
                boolean subscribed = notListed.isEmpty();
                long now = System.nanoTime();
                if (h.healthy() && subscribed) {
                    if (healthySince < 0) {
                        healthySince = now;
                    }
                    if (now - healthySince >= spec.stayHealthy().toNanos()) {
                        event(
                                on.host(),
                                "rollout-healthy",
                                "healthy for " + Steps.shown(spec.stayHealthy())
                                        + (managers.isEmpty() ? "" : " and listed by the manager"),
                                Map.of());
                        return Optional.empty();
                    }
                } else {
                    healthySince = -1;
                    last = h.healthy() ? "not listed by the manager: " + notListed.get() : h.detail();
                }
                if (now >= deadline) {
                    return Optional.of("not healthy for " + Steps.shown(spec.stayHealthy()) + " within health_deadline "
                            + Steps.shown(spec.healthDeadline()) + " after its restart: " + last);
                }
                sleeper.sleep(poll);
            }
        } catch (InterruptedException e) {
            if (halting) {
                throw new Halted();
            }
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    /** Empty when a manager lists {@code host} (or there is none to ask); else what the managers said. */
    private Optional<String> notResubscribed(String host) {
        List<String> why = new ArrayList<>();
        for (HostCommands m : managers) {
            Optional<String> no = m.notListing(listedAs.get(host), managerLog);
            if (no.isEmpty()) {
                return Optional.empty();
            }
            why.add(no.get());
        }
        return why.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", why));
    }

    private static String cmsdInstance(RolloutSpec spec) {
        return spec.steps().stream()
                .map(s -> s instanceof Step.Stop(String unit, Duration t) ? unit : "")
                .filter(u -> u.startsWith("cmsd@"))
                .map(u -> u.substring("cmsd@".length()).replaceFirst("\\.service$", ""))
                .findFirst()
                .orElse("cluster");
    }

    private static Set<String> names(Inventory.Host host) {
        Set<String> names = new java.util.LinkedHashSet<>(List.of(host.name(), host.address()));
        try {
            for (java.net.InetAddress a : java.net.InetAddress.getAllByName(host.address())) {
                names.add(a.getHostAddress());
            }
        } catch (java.net.UnknownHostException e) {
            // the manager may still list it by name
        }
        return names;
    }

    private void succeed(String host) {
        RolloutHostRecord r = current(host);
        Instant now = clock.instant();
        store.saveRolloutHost(new RolloutHostRecord(
                r.rollout(),
                host,
                Schedule.nextDue(r.nextDue(), spec.period(), now),
                false,
                0,
                r.startedAt(),
                Optional.of(now),
                ""));
        inProgress.remove(host);
        Duration took = Duration.between(r.startedAt().orElse(now), now);
        alerts.resolve(AlertName.ROLLOUT_RESTART_ERROR, host);
        alerts.resolve(AlertName.ROLLOUT_CONNECT_ERROR, host);
        alerts.resolve(AlertName.NEEDS_REBOOT, host);
        event(
                host,
                "rollout-done",
                "restarted and healthy in " + took.toMillis() / 1000.0 + "s",
                Map.of("seconds", Long.toString(took.toSeconds())));
        metrics.finished(host, now, took, true); // after the event: the duration histogram is read from the events
        log.accept(host + ": done in " + took.toMillis() / 1000.0 + "s");
    }

    private void fail(RolloutHostRecord record, HostCommands on, int failedAt, Step step, Failure failure) {
        String host = record.host();
        String reason = step == null ? failure.reason() : step.describe() + " failed: " + failure.reason();
        if (failure.alert() == AlertName.NEEDS_REBOOT) {
            // Starting cmsd again would send clients to a server whose xrootd is stuck: leave it out of the cluster.
            idle(host, reason);
            event(host, "rollout-failed", reason + "; nothing started again: the host needs attention", Map.of());
        } else {
            repair(record, on, failedAt, reason);
        }
        alerts.fire(
                failure.alert(),
                host,
                "rollout " + spec.name() + ": " + host + ": " + failure.alert().alertName(),
                reason);
        Optional<Instant> resumeAt = spec.onFailure() == RolloutSpec.OnFailure.NEXT_WINDOW
                ? Schedule.nextWindowStart(spec, clock.instant(), zone).or(() -> Optional.of(clock.instant()))
                : Optional.empty();
        store.pauseRollout(spec.name(), new RolloutPause(host + ": " + reason, clock.instant(), resumeAt));
        event(host, "rollout-paused", "paused: " + reason, Map.of());
        log.accept(host + ": FAILED: " + reason + "; rollout paused");
        stop = new RunResult(RunResult.Outcome.FAILED, List.of(), host + ": " + reason);
    }

    /** Starts again, in reverse order, the units the steps up to {@code upTo} stopped or restarted and that are down. */
    private void repair(RolloutHostRecord record, HostCommands on, int upTo, String reason) {
        List<String> units = new ArrayList<>();
        for (int i = Math.min(upTo, spec.steps().size() - 1); i >= 0; i--) {
            switch (spec.steps().get(i)) {
                case Step.Stop(String unit, Duration t) -> units.add(unit);
                case Step.Restart(String unit, Duration t) -> units.add(unit);
                default -> {}
            }
        }
        List<String> started = new ArrayList<>();
        boolean allBack = true;
        for (String unit : units.stream().distinct().toList()) {
            if (!on.activeState(unit).equals("active")) {
                CommandResult r = on.systemctl("start", unit, Steps.SERVICE_TIMEOUT);
                allBack &= r.succeeded();
                started.add(
                        unit + (r.succeeded() ? "" : " (failed: " + r.status().describe() + ")"));
            }
        }
        String what = started.isEmpty() ? "nothing (all up)" : String.join(", ", started);
        if (allBack) {
            idle(record.host(), reason);
            event(record.host(), "rollout-repair", reason + "; started again: " + what, Map.of());
            log.accept(record.host() + ": repaired: " + (started.isEmpty() ? "nothing to start" : started));
            return;
        }
        // Not all back (the host is unreachable, say): it stays half-done at this step, so the next run finds it
        // first and completes it instead of counting it as done and moving on to the next host.
        event(
                record.host(),
                "rollout-repair",
                reason + "; could not start everything again: " + what + "; left half-done for the next run",
                Map.of());
        log.accept(record.host() + ": NOT repaired: " + what + "; it stays half-done");
    }

    private void idle(String host, String reason) {
        RolloutHostRecord r = current(host);
        store.saveRolloutHost(new RolloutHostRecord(
                r.rollout(), host, r.nextDue(), false, 0, r.startedAt(), r.lastSuccess(), reason));
        inProgress.remove(host);
        metrics.finished(host, clock.instant(), Duration.ZERO, false);
    }

    /** RolloutStalled when a host is overdue by more than a period while the rollout cannot go on. */
    private void stalledIfOverdue(String why) {
        Instant now = clock.instant();
        List<String> overdue = store.rolloutHosts(spec.name()).stream()
                .filter(r -> r.nextDue().plus(spec.period()).isBefore(now))
                .map(RolloutHostRecord::host)
                .toList();
        if (!overdue.isEmpty()) {
            alerts.fire(
                    AlertName.ROLLOUT_STALLED,
                    "",
                    "rollout " + spec.name() + " is stalled",
                    why + "; overdue by more than a period: " + String.join(", ", overdue));
        }
    }

    private void event(String host, String kind, String message, Map<String, String> fields) {
        store.append(alerts.service(), host, kind, message, fields, clock.instant());
    }
}
