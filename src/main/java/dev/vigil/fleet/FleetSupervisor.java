package dev.vigil.fleet;

import dev.vigil.config.ServiceConfig;
import dev.vigil.config.VigilConfig;
import dev.vigil.driver.ActionResult;
import dev.vigil.driver.Driver;
import dev.vigil.driver.Drivers;
import dev.vigil.driver.ServiceState;
import dev.vigil.driver.ServiceStatus;
import dev.vigil.metrics.ServiceSample;
import dev.vigil.store.DesiredState;
import dev.vigil.supervise.Action;
import dev.vigil.supervise.EventKind;
import dev.vigil.supervise.Input;
import dev.vigil.supervise.Journal;
import dev.vigil.supervise.Phase;
import dev.vigil.supervise.RestartPolicy;
import dev.vigil.supervise.ServiceAt;
import dev.vigil.supervise.ServiceMachine;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's fleet check: one {@link ServiceMachine} per (host, service) placement, the same machine and restart
 * policy as a local service, so confirmation, back-off, give-up and a remembered stop mean the same on a fleet host.
 *
 * <p>Every {@code fleet_check_interval} a <em>full pass</em> looks at every placement; in between, a <em>re-check</em>
 * pass works only on the placements whose machine asked to be woken (a confirmation, the end of a back-off or a
 * give-up). A pass works on hosts in parallel, at most {@link HostShells#fanout()} at once, each host's services in
 * configuration order; an unreachable host costs its own timeout and never holds up the others.
 *
 * <p>An unreachable host is not a dead service: its placements are not fed to their machines (nothing is confirmed
 * down, nothing is started there), their status becomes UNKNOWN, and each records {@link EventKind#HOST_UNREACHABLE}
 * once when the host stops answering and {@link EventKind#HOST_REACHABLE} once when it answers again.
 *
 * <p>Events and memory are keyed {@code SERVICE@HOST} ({@link ServiceAt}). Passes run one at a time, on the
 * "vigil-fleet" virtual thread (or the caller's, for {@link #check}); a new configuration is applied between passes.
 */
public final class FleetSupervisor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FleetSupervisor.class);
    /** Inputs one placement may take in one pass: a guard against a machine and a driver that never settle. */
    private static final int STEPS_PER_PASS = 16;

    /** What a placement came to in one pass. */
    enum Outcome {
        FINE,
        DOWN,
        REPAIRED,
        UNREACHABLE,
        /** Not worked on: a re-check pass, and this machine was not due. */
        SKIPPED
    }

    /** One service on one host; touched only by the pass working on its host. */
    private static final class Placement {
        final ServiceAt at;
        ServiceConfig config;
        final ServiceMachine machine;
        ServiceMachine.Memory saved;
        boolean unreachable;

        Placement(ServiceAt at, ServiceConfig config, ServiceMachine machine) {
            this.at = at;
            this.config = config;
            this.machine = machine;
            this.saved = machine.memory();
        }
    }

    /**
     * What a pass did.
     *
     * @param full a full pass (every placement) rather than a re-check of the due ones
     * @param hosts the hosts worked on
     */
    public record Pass(boolean full, int hosts, int fine, int down, int repaired, int unreachable, Duration took) {
        static Pass none() {
            return new Pass(false, 0, 0, 0, 0, 0, Duration.ZERO);
        }
    }

    /**
     * What metrics need after a pass.
     *
     * @param samples every placement, host label the inventory name
     * @param hostsUp every host with a placement: whether it answered at its last pass
     */
    public record Published(List<ServiceSample> samples, Map<String, Boolean> hostsUp, Duration took) {}

    private record Pending(VigilConfig config, CompletableFuture<List<String>> done) {}

    private final Function<VigilConfig, OpenFleet> opener;
    private final Function<ServiceConfig, RestartPolicy> policies;
    private final Journal journal;
    private final InstantSource clock;
    private final Object signal = new Object();

    private volatile OpenFleet fleet;
    private Duration interval;
    private Map<Inventory.Host, List<Placement>> hosts = new LinkedHashMap<>();
    private final Map<String, Boolean> hostUp = new LinkedHashMap<>();
    private Instant nextFull;
    private Duration lastTook = Duration.ZERO;
    private Pending pending;
    private volatile Consumer<Published> onPass = p -> {};
    private volatile boolean closed;
    private Thread loop;

    /**
     * Opens the fleet of {@code config} at once.
     *
     * @param opener opens a configuration's fleet (SSH in production); may throw when it cannot, and then this
     *     constructor throws
     */
    public FleetSupervisor(
            VigilConfig config,
            Function<VigilConfig, OpenFleet> opener,
            Function<ServiceConfig, RestartPolicy> policies,
            Journal journal,
            InstantSource clock) {
        this.opener = opener;
        this.policies = policies;
        this.journal = journal;
        this.clock = clock;
        this.nextFull = clock.instant();
        List<String> ignored = new ArrayList<>();
        use(config, opener.apply(config), ignored);
    }

    /** Whether {@code config} has anything for a fleet check: fleet services and hosts. */
    public static boolean wanted(VigilConfig config) {
        return !config.inventory().hosts().isEmpty()
                && config.services().stream().anyMatch(s -> !s.isLocal());
    }

    /** Hears every pass's result (metrics); called on the pass's thread. */
    public void onPass(Consumer<Published> listener) {
        this.onPass = listener;
    }

    /** Starts the periodic check on its own virtual thread; the first full pass runs at once. */
    public synchronized void start() {
        loop = Thread.ofVirtual().name("vigil-fleet").start(this::run);
    }

    /**
     * A new configuration, applied before the next pass (which is then a full one, at once): placements that still
     * exist keep their machine and its state, new ones start afresh, removed ones are dropped. Completes with what
     * changed, or exceptionally when the new fleet cannot be opened (the old one is kept).
     */
    public CompletableFuture<List<String>> reconfigure(VigilConfig config) {
        CompletableFuture<List<String>> done = new CompletableFuture<>();
        synchronized (signal) {
            if (pending != null) {
                pending.done().cancel(false); // superseded before it was applied
            }
            pending = new Pending(config, done);
            signal.notifyAll();
        }
        return done;
    }

    /**
     * Runs one pass now, on the caller's thread: a full pass or a re-check of the due machines. The periodic thread
     * calls this; tests call it directly with a fake clock.
     */
    public synchronized Pass check(boolean full) {
        applyPending();
        Instant now = clock.instant();
        List<Map.Entry<Inventory.Host, List<Placement>>> work = hosts.entrySet().stream()
                .filter(e -> full || e.getValue().stream().anyMatch(p -> due(e.getKey(), p, now)))
                .toList();
        if (full) {
            nextFull = now.plus(interval);
        }
        if (work.isEmpty()) {
            publish();
            return Pass.none();
        }
        LOG.info("fleet check: {} on {} hosts", full ? "pass" : "re-check", work.size());
        long started = System.nanoTime();
        List<List<Outcome>> outcomes =
                Fanout.map(work, fleet.shells().fanout(), e -> onHost(e.getKey(), e.getValue(), full, now));
        lastTook = Duration.ofNanos(System.nanoTime() - started);
        int[] count = new int[Outcome.values().length];
        for (int i = 0; i < work.size(); i++) {
            List<Outcome> here = outcomes.get(i);
            hostUp.put(work.get(i).getKey().name(), !here.contains(Outcome.UNREACHABLE));
            here.forEach(o -> count[o.ordinal()]++);
        }
        Pass pass = new Pass(
                full,
                work.size(),
                count[Outcome.FINE.ordinal()],
                count[Outcome.DOWN.ordinal()],
                count[Outcome.REPAIRED.ordinal()],
                count[Outcome.UNREACHABLE.ordinal()],
                lastTook);
        LOG.info(
                "fleet check {} in {} ms on {} hosts: {} fine, {} down, {} repaired, {} unreachable",
                full ? "done" : "re-check done",
                lastTook.toMillis(),
                pass.hosts(),
                pass.fine(),
                pass.down(),
                pass.repaired(),
                pass.unreachable());
        publish();
        return pass;
    }

    /** The machines' state, placement by placement ({@code SERVICE@HOST} names), as of now. */
    public synchronized List<ServiceMachine.Snapshot> snapshots() {
        List<ServiceMachine.Snapshot> list = new ArrayList<>();
        hosts.values().forEach(placed -> placed.forEach(p -> list.add(p.machine.snapshot())));
        return list;
    }

    private void run() {
        while (!closed) {
            try {
                Instant now = clock.instant();
                boolean full = hasPending() || !now.isBefore(nextFull());
                if (!full && !anyDue(now)) {
                    long wait = Duration.between(now, nextWake()).toMillis();
                    synchronized (signal) {
                        if (pending == null && !closed) {
                            signal.wait(Math.max(1, wait));
                        }
                    }
                    continue;
                }
                check(full);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // a bad pass must not end the fleet check; the next one is an interval away
                LOG.error("fleet check failed: {}", e.toString(), e);
                synchronized (this) {
                    nextFull = clock.instant().plus(interval);
                }
            }
        }
    }

    private boolean hasPending() {
        synchronized (signal) {
            return pending != null;
        }
    }

    private synchronized Instant nextFull() {
        return nextFull;
    }

    private synchronized boolean anyDue(Instant now) {
        return hosts.entrySet().stream().anyMatch(e -> e.getValue().stream().anyMatch(p -> due(e.getKey(), p, now)));
    }

    private synchronized Instant nextWake() {
        Instant next = nextFull;
        for (var e : hosts.entrySet()) {
            if (!hostUp.getOrDefault(e.getKey().name(), true)) {
                continue; // an unreachable host's timers wait for the next full pass
            }
            for (Placement p : e.getValue()) {
                Optional<Instant> at = p.machine.wakeAt();
                if (at.isPresent() && at.get().isBefore(next)) {
                    next = at.get();
                }
            }
        }
        return next;
    }

    /** A machine's timer is due, on a host that answered last time (an unreachable host's timers wait). */
    private boolean due(Inventory.Host host, Placement p, Instant now) {
        return hostUp.getOrDefault(host.name(), true)
                && p.machine.wakeAt().map(t -> !t.isAfter(now)).orElse(false);
    }

    private List<Outcome> onHost(Inventory.Host host, List<Placement> placed, boolean full, Instant now) {
        ReachOnce shell = new ReachOnce(fleet.shells().shell(host));
        List<Outcome> outcomes = new ArrayList<>(placed.size());
        for (Placement p : placed) {
            Outcome outcome;
            try {
                outcome = work(host, p, Drivers.remote(p.config, shell), shell, full, now);
            } catch (RuntimeException e) {
                LOG.error("{}: fleet check failed: {}", p.at, e.toString(), e);
                outcome = Outcome.DOWN;
            }
            remember(p);
            outcomes.add(outcome);
        }
        return outcomes;
    }

    /**
     * A person's request for one placement ({@code vigil reset cmsd@xrd01}, start, stop, restart), carried out now
     * by its machine as for a local service; {@code key} is {@code SERVICE@HOST}.
     */
    public synchronized ActionResult request(String key, Input.Request request, String who) {
        for (Map.Entry<Inventory.Host, List<Placement>> e : hosts.entrySet()) {
            for (Placement p : e.getValue()) {
                if (p.at.key().equals(key)) {
                    ReachOnce shell = new ReachOnce(fleet.shells().shell(e.getKey()));
                    Driver driver = Drivers.remote(p.config, shell);
                    Deque<Input> inputs = new ArrayDeque<>(List.of(new Input.Person(request, who)));
                    Outcome outcome = drive(p, driver, shell, inputs);
                    remember(p);
                    String what = key + ": " + request.name().toLowerCase(java.util.Locale.ROOT) + " -> "
                            + p.machine.phase().label();
                    return new ActionResult(
                            outcome != Outcome.UNREACHABLE,
                            outcome == Outcome.UNREACHABLE ? what + " (host unreachable)" : what,
                            driver.status());
                }
            }
        }
        throw new IllegalArgumentException("the daemon's fleet check has no placement " + key);
    }

    /** One placement's share of a pass: its due timer, or a fresh look, then whatever the machine decides. */
    private Outcome work(Inventory.Host host, Placement p, Driver driver, ReachOnce shell, boolean full, Instant now) {
        Deque<Input> inputs = new ArrayDeque<>();
        if (due(host, p, now)) {
            inputs.add(new Input.Tick()); // the machine looks or starts itself: no second look this pass
        } else if (full && watched(p.machine.phase())) {
            ServiceStatus status = driver.status();
            if (shell.unreachable().isPresent()) {
                return unreachable(p, "host unreachable: " + shell.unreachable().get());
            }
            if (status.state() == ServiceState.UNKNOWN) {
                return unreachable(p, "state unknown: " + status.detail());
            }
            inputs.add(new Input.Observed(status));
        } else if (!full) {
            return Outcome.SKIPPED;
        }
        reachable(p);
        return drive(p, driver, shell, inputs);
    }

    /** Feeds {@code inputs} to the placement's machine and carries out what it decides, until it rests. */
    private Outcome drive(Placement p, Driver driver, ReachOnce shell, Deque<Input> inputs) {
        boolean repaired = false;
        for (int steps = 0; !inputs.isEmpty() && steps < STEPS_PER_PASS; steps++) {
            List<Action> actions = p.machine.on(inputs.poll());
            for (Action action : actions) {
                switch (action) {
                    case Action.Emit(EventKind kind, String message) -> emit(p, kind, message);
                    case Action.Observe() -> {
                        ServiceStatus status = driver.status();
                        if (shell.unreachable().isPresent()) {
                            return unreachable(
                                    p,
                                    "host unreachable: " + shell.unreachable().get());
                        }
                        if (status.state() == ServiceState.UNKNOWN) {
                            return unreachable(p, "state unknown: " + status.detail());
                        }
                        inputs.add(new Input.Observed(status));
                    }
                    case Action.Start(String reason, boolean restart) -> {
                        LOG.info("{}: {} ({})", p.at, restart ? "restart" : "start", reason);
                        ActionResult result = restart ? driver.restart() : driver.start();
                        repaired |= result.ok();
                        inputs.add(new Input.StartFinished(result));
                    }
                    case Action.Stop(String reason) -> {
                        LOG.info("{}: stop ({})", p.at, reason);
                        inputs.add(new Input.StopFinished(driver.stop()));
                    }
                }
            }
        }
        if (shell.unreachable().isPresent()) {
            // lost in the middle of a start: the machine heard the failed start; the host is unknown from here on
            return unreachable(p, "host unreachable: " + shell.unreachable().get());
        }
        Phase phase = p.machine.phase();
        if (phase == Phase.UP) {
            return repaired ? Outcome.REPAIRED : Outcome.FINE;
        }
        return p.machine.desired() == DesiredState.RUNNING ? Outcome.DOWN : Outcome.FINE;
    }

    private static boolean watched(Phase phase) {
        return phase != Phase.STARTING && phase != Phase.STOPPING && phase != Phase.UNMONITORED;
    }

    /**
     * Nothing is known of the service: its host did not answer, or its state could not be read (a status command
     * that timed out, a unit that is not installed). Nothing is started on a guess; the event is recorded once.
     */
    private Outcome unreachable(Placement p, String why) {
        if (!p.unreachable) {
            p.unreachable = true;
            emit(p, EventKind.HOST_UNREACHABLE, why);
        }
        return Outcome.UNREACHABLE;
    }

    private void reachable(Placement p) {
        if (p.unreachable) {
            p.unreachable = false;
            emit(p, EventKind.HOST_REACHABLE, "host reachable again");
        }
    }

    private void emit(Placement p, EventKind kind, String message) {
        LOG.info("{}: {}: {}", p.at, kind.label(), message);
        journal.record(p.at, kind, message);
    }

    private void remember(Placement p) {
        ServiceMachine.Memory memory = p.machine.memory();
        if (!memory.equals(p.saved)) {
            journal.remember(p.at.key(), memory);
            p.saved = memory;
        }
    }

    private void applyPending() {
        Pending next;
        synchronized (signal) {
            next = pending;
            pending = null;
        }
        if (next == null) {
            return;
        }
        OpenFleet opened;
        try {
            opened = opener.apply(next.config());
        } catch (RuntimeException e) {
            LOG.error("fleet check keeps its configuration: the new fleet cannot be opened: {}", e.getMessage());
            next.done().completeExceptionally(e);
            return;
        }
        OpenFleet old = fleet;
        List<String> changes = new ArrayList<>();
        use(next.config(), opened, changes);
        old.close();
        LOG.info("fleet check reconfigured: {}", changes.isEmpty() ? "no change" : String.join("; ", changes));
        nextFull = clock.instant();
        next.done().complete(changes);
    }

    /** Placements of {@code config} on {@code opened}, keeping the machines of those that remain. */
    private void use(VigilConfig config, OpenFleet opened, List<String> changes) {
        Map<ServiceAt, Placement> known = new LinkedHashMap<>();
        hosts.values().forEach(placed -> placed.forEach(p -> known.put(p.at, p)));
        Map<Inventory.Host, List<Placement>> next = new LinkedHashMap<>();
        opened.control().placements(new ClassExpression.Name("any"), List.of()).forEach((host, services) -> {
            List<Placement> placed = new ArrayList<>();
            for (ServiceConfig service : services) {
                if (!service.enabled()) {
                    continue; // shown by fleet commands, never started or stopped
                }
                ServiceAt at = new ServiceAt(service.name(), host.name());
                Placement p = known.remove(at);
                if (p == null) {
                    p = placement(at, service);
                    changes.add(at + ": added");
                } else if (!p.config.equals(service)) {
                    p.config = service;
                    p.machine.updatePolicy(policies.apply(service));
                }
                placed.add(p);
            }
            if (!placed.isEmpty()) {
                next.put(host, List.copyOf(placed));
            }
        });
        known.keySet().forEach(at -> changes.add(at + ": removed (no longer supervised; left as it is)"));
        hosts = next;
        hostUp.keySet()
                .retainAll(next.keySet().stream().map(Inventory.Host::name).toList());
        fleet = opened;
        interval = config.settings().fleetCheckInterval();
    }

    private Placement placement(ServiceAt at, ServiceConfig service) {
        ServiceMachine machine = new ServiceMachine(at.key(), policies.apply(service), DesiredState.RUNNING, clock);
        journal.recall(at.key()).ifPresent(machine::restore);
        return new Placement(at, service, machine);
    }

    private void publish() {
        List<ServiceSample> samples = new ArrayList<>();
        Map<String, Boolean> up = new LinkedHashMap<>();
        hosts.forEach((host, placed) -> {
            boolean reachable = hostUp.getOrDefault(host.name(), true);
            up.put(host.name(), reachable);
            for (Placement p : placed) {
                ServiceMachine.Snapshot s = p.machine.snapshot();
                samples.add(new ServiceSample(
                        p.at.service(),
                        host.name(),
                        s.phase(),
                        s.phase() == Phase.UP && !p.unreachable, // unknown is not up
                        s.desired() == DesiredState.RUNNING,
                        s.phase() == Phase.GIVEN_UP));
            }
        });
        try {
            onPass.accept(new Published(samples, up, lastTook));
        } catch (RuntimeException e) {
            LOG.warn("fleet check listener failed: {}", e.toString());
        }
    }

    /** Stops the check (services are left as they are) and closes the fleet's connections. */
    @Override
    public void close() {
        closed = true;
        synchronized (signal) {
            signal.notifyAll();
        }
        Thread running;
        synchronized (this) {
            running = loop;
        }
        if (running != null) {
            running.interrupt();
            try {
                running.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        fleet.close();
    }
}
