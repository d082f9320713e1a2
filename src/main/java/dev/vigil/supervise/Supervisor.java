package dev.vigil.supervise;

import dev.vigil.config.ServiceConfig;
import dev.vigil.config.ServiceGraph;
import dev.vigil.driver.ActionResult;
import dev.vigil.driver.Driver;
import dev.vigil.driver.ServiceLock;
import dev.vigil.driver.ServiceState;
import dev.vigil.driver.ServiceStatus;
import dev.vigil.process.ProcessInfo;
import dev.vigil.process.linux.ExitWatcher;
import dev.vigil.process.linux.ProcFs;
import dev.vigil.store.DesiredState;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's engine: feeds each service's {@link ServiceMachine} and carries out what it decides.
 *
 * <p>Concurrency:
 *
 * <ul>
 *   <li>One platform thread, "vigil-engine", owns every machine and entry. Everything that changes them is a task on
 *       its queue, run one at a time, so no lock guards service state.
 *   <li>Driver calls (start, stop, status) block for seconds; they run on virtual threads, at most one action per
 *       service at a time (the machine's STARTING/STOPPING phases) and status calls bounded by a semaphore. Each
 *       reports back by queueing a task. Actions hold the service's {@link ServiceLock}, so a CLI acting on the same
 *       service at the same moment waits instead of racing.
 *   <li>"vigil-exit-watcher" (see {@link ExitWatcher}) queues an exit within milliseconds of it.
 *   <li>"vigil-timer" queues the sweep (every {@code sweepInterval}) and each machine's wake-up.
 *   <li>Readers (control socket, metrics) get {@link #snapshots()}: an immutable list published after every task.
 * </ul>
 *
 * <p>Shutdown ({@link #close}) stops the threads and leaves every service running: Vigil is not their parent.
 */
public final class Supervisor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
    private static final Duration LOCK_PATIENCE = Duration.ofSeconds(60);
    private static final int STATUS_CONCURRENCY = 64;
    static final int FULL_SWEEP_EVERY = 12;

    /** One supervised service: its configuration, driver and machine, owned by the engine thread. */
    private static final class Entry {
        ServiceConfig config;
        Driver driver;
        final ServiceMachine machine;
        boolean observing;
        Optional<Long> watchedPid = Optional.empty();
        ScheduledFuture<?> wake;
        ServiceMachine.Memory saved;
        ServiceStatus lastStatus;
        ActionResult lastResult;
        final List<CompletableFuture<ActionResult>> waiting = new ArrayList<>();
        ServiceChecks checks;
        /** A start waiting for the services this one requires to be up: its verb and reason. */
        String deferredVerb;

        String deferredReason;

        Entry(ServiceConfig config, Driver driver, ServiceMachine machine, ServiceChecks checks) {
            this.config = config;
            this.driver = driver;
            this.machine = machine;
            this.checks = checks;
        }
    }

    private final Function<ServiceConfig, Driver> drivers;
    private final Function<ServiceConfig, RestartPolicy> policies;
    private final Journal journal;
    private final InstantSource clock;
    private final Path lockDir;
    private final Duration sweepInterval;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private ServiceGraph graph;
    private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private final Thread engine;
    private final ScheduledExecutorService timer;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore statusPermits = new Semaphore(STATUS_CONCURRENCY);
    private final ExitWatcher watcher;
    private volatile List<ServiceMachine.Snapshot> published = List.of();
    private volatile java.util.function.Consumer<List<ServiceMachine.Snapshot>> onPublish = snapshots -> {};
    private volatile Runnable onSweep = () -> {};
    private volatile boolean closed;
    private long sweeps;
    /** Set by every step that may have changed a machine; a quiet check tick publishes nothing. */
    private boolean changed = true;

    public Supervisor(
            List<ServiceConfig> services,
            Function<ServiceConfig, Driver> drivers,
            Function<ServiceConfig, RestartPolicy> policies,
            Journal journal,
            InstantSource clock,
            Path stateDir,
            Duration sweepInterval) {
        this.drivers = drivers;
        this.policies = policies;
        this.journal = journal;
        this.clock = clock;
        this.lockDir = stateDir.resolve("locks");
        this.sweepInterval = sweepInterval;
        for (ServiceConfig service : services) {
            if (service.notHere().isEmpty()) {
                entries.put(service.name(), newEntry(service));
            }
        }
        this.graph = new ServiceGraph(services);
        this.timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("vigil-timer").daemon().factory());
        this.watcher = new ExitWatcher(exit -> post(() -> exited(exit)));
        this.engine = Thread.ofPlatform().name("vigil-engine").daemon().unstarted(this::run);
    }

    /** Starts the engine: every service is looked at at once (adopting what runs), then on every sweep. */
    public void start() {
        engine.start();
        post(() -> entries.keySet().forEach(this::observe));
        timer.scheduleWithFixedDelay(
                () -> post(this::sweep), sweepInterval.toMillis(), sweepInterval.toMillis(), TimeUnit.MILLISECONDS);
        long checkTick = Math.min(1000, sweepInterval.toMillis());
        timer.scheduleWithFixedDelay(() -> post(this::runDueChecks), checkTick, checkTick, TimeUnit.MILLISECONDS);
    }

    /** Hears every published list of snapshots (metrics); called on the engine thread, so it must be quick. */
    public void onPublish(java.util.function.Consumer<List<ServiceMachine.Snapshot>> listener) {
        this.onPublish = listener;
    }

    /**
     * Hears every sweep, whether or not it changed anything (the heartbeat); called on the engine thread, so it must
     * be quick. A sweep that changed nothing publishes nothing: with 1,000 quiet services that is most of the idle
     * cost saved.
     */
    public void onSweep(Runnable listener) {
        this.onSweep = listener;
    }

    /** The state of every supervised service, as of the last engine step. */
    public List<ServiceMachine.Snapshot> snapshots() {
        return published;
    }

    /**
     * A person's request through the daemon; completes when it has been carried out (a start or stop finished, or
     * nothing needed doing), with what happened.
     */
    public CompletableFuture<ActionResult> request(String service, Input.Request request, String who) {
        CompletableFuture<ActionResult> reply = new CompletableFuture<>();
        post(() -> {
            Entry entry = entries.get(service);
            if (entry == null) {
                reply.completeExceptionally(new IllegalArgumentException("the daemon does not supervise " + service));
                return;
            }
            entry.waiting.add(reply);
            entry.lastResult = null; // answer with what this request causes, not an older result
            feed(service, entry, new Input.Person(request, who));
        });
        return reply;
    }

    /**
     * Applies a new configuration: added services are watched, removed ones forgotten (left running), changed ones
     * get their new driver and policy. Returns what changed, once applied.
     */
    public CompletableFuture<List<String>> reconfigure(List<ServiceConfig> services) {
        CompletableFuture<List<String>> reply = new CompletableFuture<>();
        post(() -> reply.complete(apply(services)));
        return reply;
    }

    private List<String> apply(List<ServiceConfig> services) {
        List<String> changes = new ArrayList<>();
        graph = new ServiceGraph(services);
        Map<String, ServiceConfig> wanted = new LinkedHashMap<>();
        services.stream().filter(s -> s.notHere().isEmpty()).forEach(s -> wanted.put(s.name(), s));
        for (String name : new ArrayList<>(entries.keySet())) {
            if (!wanted.containsKey(name)) {
                Entry gone = entries.remove(name);
                watcher.unwatch(name);
                if (gone.wake != null) {
                    gone.wake.cancel(false);
                }
                changes.add(name + ": removed (no longer supervised; left as it is)");
            }
        }
        for (ServiceConfig service : wanted.values()) {
            Entry entry = entries.get(service.name());
            if (entry == null) {
                entries.put(service.name(), newEntry(service));
                changes.add(service.name() + ": added");
                observe(service.name());
            } else if (!sameIgnoringOrigin(entry.config, service)) {
                entry.config = service;
                entry.driver = drivers.apply(service);
                entry.machine.updatePolicy(policies.apply(service));
                entry.checks = new ServiceChecks(service);
                changes.add(service.name() + ": changed");
            }
        }
        publish();
        return changes;
    }

    private static boolean sameIgnoringOrigin(ServiceConfig a, ServiceConfig b) {
        return a.equals(b.withOrigin(a.origin()));
    }

    private Entry newEntry(ServiceConfig service) {
        ServiceMachine machine =
                new ServiceMachine(service.name(), policies.apply(service), DesiredState.RUNNING, clock);
        Optional<ServiceMachine.Memory> memory = journal.recall(service.name());
        memory.ifPresent(machine::restore);
        Entry entry = new Entry(service, drivers.apply(service), machine, new ServiceChecks(service));
        entry.saved = machine.memory();
        return entry;
    }

    private void post(Runnable task) {
        if (!closed) {
            queue.add(task);
        }
    }

    private void run() {
        while (!closed) {
            try {
                Runnable task = queue.poll(1, TimeUnit.SECONDS);
                if (task != null) {
                    // run everything queued, then publish once: a sweep of 1,000 services is 1,000 tasks
                    do {
                        runSafely(task);
                        task = queue.poll();
                    } while (task != null);
                    if (changed) {
                        publish();
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // one bad step must not end supervision of every service
                LOG.error("engine step failed: {}", e.toString(), e);
            }
        }
    }

    private void runSafely(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            // one bad step must not end supervision of every service
            LOG.error("engine step failed: {}", e.toString(), e);
        }
    }

    /**
     * Every sweep looks at services that are down or not watched; a service whose process is watched through its
     * pidfd (its death would be reported at once) is re-verified every {@link #FULL_SWEEP_EVERY}th sweep only, to
     * catch what an exit cannot tell (a pidfile rewritten by someone else, a process replaced behind our back).
     */
    private void sweep() {
        boolean full = sweeps++ % FULL_SWEEP_EVERY == 0;
        entries.forEach((service, entry) -> {
            if (full || entry.watchedPid.isEmpty()) {
                observe(service);
            }
        });
        try {
            onSweep.run();
        } catch (RuntimeException e) {
            LOG.warn("sweep listener failed: {}", e.toString());
        }
    }

    private void observe(String service) {
        Entry entry = entries.get(service);
        if (entry == null || entry.observing) {
            return;
        }
        Phase phase = entry.machine.phase();
        if (phase == Phase.STARTING || phase == Phase.STOPPING || phase == Phase.UNMONITORED) {
            return;
        }
        entry.observing = true;
        Driver driver = entry.driver;
        workers.submit(() -> {
            ServiceStatus status;
            try {
                statusPermits.acquire();
                try {
                    status = driver.status();
                } finally {
                    statusPermits.release();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                status = unknown(service, driver, "status failed: " + e);
            }
            ServiceStatus seen = status;
            post(() -> {
                Entry now = entries.get(service);
                if (now != null) {
                    now.observing = false;
                    now.lastStatus = seen;
                    feed(service, now, new Input.Observed(seen));
                }
            });
        });
    }

    /** Starts every health check that is due, for services that are up; results come back as tasks. */
    private void runDueChecks() {
        Instant now = clock.instant();
        entries.forEach((service, entry) -> {
            if (entry.checks.isEmpty() || entry.machine.phase() != Phase.UP) {
                return;
            }
            ServiceMachine.Snapshot snapshot = entry.machine.snapshot();
            if (snapshot.pid().isEmpty()) {
                return;
            }
            Duration age = Duration.between(snapshot.upSince().orElse(now), now);
            ServiceChecks checks = entry.checks;
            long pid = snapshot.pid().get();
            for (var due : checks.takeDue(age)) {
                workers.submit(() -> {
                    var result = checks.run(due, service, ProcFs.read(pid));
                    post(() -> checked(service, checks, due, result));
                });
            }
        });
    }

    private void checked(
            String service, ServiceChecks checks, dev.vigil.check.CheckSpec spec, dev.vigil.check.CheckResult result) {
        Entry entry = entries.get(service);
        if (entry == null || entry.checks != checks) {
            return; // reconfigured meanwhile
        }
        switch (checks.record(spec, result)) {
            case dev.vigil.check.FailureWindow.Verdict.Tripped(String message) ->
                feed(
                        service,
                        entry,
                        new Input.CheckFailed(
                                spec.name(),
                                message,
                                spec.common().onFailure() == dev.vigil.check.CheckSpec.OnFailure.RESTART));
            case dev.vigil.check.FailureWindow.Verdict.Recovered(String detail) -> {
                LOG.info("{}: check {} passes again: {}", service, spec.name(), detail);
                journal.record(service, EventKind.CHECK_RECOVERED, "check " + spec.name() + " passes again: " + detail);
            }
            default -> {}
        }
    }

    private static ServiceStatus unknown(String service, Driver driver, String why) {
        return new ServiceStatus(service, ServiceState.UNKNOWN, Optional.empty(), Optional.empty(), "", "", why);
    }

    private void exited(ExitWatcher.Exited exit) {
        Entry entry = entries.get(exit.key());
        if (entry == null
                || !entry.watchedPid.equals(Optional.of(exit.identity().pid()))) {
            return;
        }
        entry.watchedPid = Optional.empty();
        if (entry.config.driver() instanceof dev.vigil.config.DriverSpec.Systemd) {
            // systemd is the parent and may restart the unit itself (Restart=): ask it, don't fight it (Ganeti)
            observe(exit.key());
            return;
        }
        long pid = exit.identity().pid();
        Optional<Integer> code = entry.driver.exitCodeOf(pid);
        feed(exit.key(), entry, new Input.Exited(pid, code));
    }

    /** Runs one input through a machine and carries out what it decided. Engine thread only. */
    private void feed(String service, Entry entry, Input input) {
        changed = true;
        List<Action> actions = entry.machine.on(input);
        // act first, write the history after: a restart must not wait for the event's fsync
        for (Action action : actions) {
            switch (action) {
                case Action.Emit _ -> {}
                case Action.Observe() -> observe(service);
                case Action.Start(String reason, boolean restart) ->
                    act(service, entry, reason, restart ? "restart" : "start");
                case Action.Stop(String reason) -> act(service, entry, reason, "stop");
            }
        }
        for (Action action : actions) {
            if (action instanceof Action.Emit(EventKind kind, String message)) {
                LOG.info("{}: {}: {}", service, kind.label(), message);
                journal.record(service, kind, message);
            }
        }
        if (input instanceof Input.StartFinished(ActionResult r)) {
            entry.lastResult = r;
            entry.lastStatus = r.after();
            entry.checks.reset(); // a new process: its checks start over after monitor_after
        } else if (input instanceof Input.StopFinished(ActionResult r)) {
            entry.lastResult = r;
            entry.lastStatus = r.after();
        }
        remember(service, entry);
        if (actions.stream()
                .anyMatch(a -> a instanceof Action.Emit(EventKind k, String m) && k == EventKind.RESTARTED)) {
            restartDependents(service);
        }
        releaseDeferred();
        syncWatch(service, entry);
        scheduleWake(service, entry);
        if (!entry.waiting.isEmpty()) {
            publish(); // whoever is answered must see the state the answer describes
        }
        answerWaiting(entry);
    }

    private void act(String service, Entry entry, String reason, String verb) {
        if (!verb.equals("stop")) {
            List<String> missing = requiredNotUp(entry);
            if (!missing.isEmpty()) {
                if (entry.deferredVerb == null) {
                    LOG.info("{}: {} waits for required {} to be up", service, verb, missing);
                }
                entry.deferredVerb = verb;
                entry.deferredReason = reason;
                return;
            }
        }
        if (entry.watchedPid.isPresent() && !verb.equals("start")) {
            watcher.unwatch(service); // our own stop is not a death
            entry.watchedPid = Optional.empty();
        }
        Driver driver = entry.driver;
        LOG.info("{}: {} ({})", service, verb, reason);
        workers.submit(() -> {
            ActionResult result;
            try (ServiceLock _ = ServiceLock.acquire(lockDir, service, LOCK_PATIENCE)) {
                result = switch (verb) {
                    case "start" -> driver.start();
                    case "restart" -> driver.restart();
                    default -> driver.stop();
                };
            } catch (IOException | RuntimeException e) {
                result = new ActionResult(false, service + ": " + verb + " failed: " + e.getMessage(), driver.status());
            }
            ActionResult done = result;
            post(() -> {
                Entry now = entries.get(service);
                if (now != null) {
                    feed(
                            service,
                            now,
                            verb.equals("stop") ? new Input.StopFinished(done) : new Input.StartFinished(done));
                }
            });
        });
    }

    private List<String> requiredNotUp(Entry entry) {
        return entry.config.supervision().requires().stream()
                .filter(name -> {
                    Entry required = entries.get(name);
                    return required != null && required.machine.phase() != Phase.UP;
                })
                .toList();
    }

    /** Starts that waited for their required services, now that those may be up. */
    private void releaseDeferred() {
        entries.forEach((service, entry) -> {
            if (entry.deferredVerb != null && requiredNotUp(entry).isEmpty()) {
                String verb = entry.deferredVerb;
                entry.deferredVerb = null;
                act(service, entry, entry.deferredReason, verb);
            }
        });
    }

    /** A service that was restarted takes down what requires it with it: restart those that are up, in order. */
    private void restartDependents(String service) {
        for (ServiceConfig dependent : graph.requiredBy(service)) {
            Entry entry = entries.get(dependent.name());
            if (entry != null && entry.machine.phase() == Phase.UP) {
                feed(
                        dependent.name(),
                        entry,
                        new Input.Person(
                                Input.Request.RESTART, "vigil (" + service + ", which it requires, was restarted)"));
            }
        }
    }

    private void remember(String service, Entry entry) {
        ServiceMachine.Memory memory = entry.machine.memory();
        if (!memory.equals(entry.saved)) {
            journal.remember(service, memory);
            entry.saved = memory;
        }
    }

    /** Watches the pid the machine considers the service's, verified against the last status's start time. */
    private void syncWatch(String service, Entry entry) {
        ServiceMachine.Snapshot snapshot = entry.machine.snapshot();
        Optional<Long> pid = snapshot.phase() == Phase.UP || snapshot.phase() == Phase.CONFIRMING
                ? snapshot.pid()
                : Optional.empty();
        if (pid.equals(entry.watchedPid)) {
            return;
        }
        watcher.unwatch(service);
        entry.watchedPid = Optional.empty();
        if (pid.isEmpty()) {
            return;
        }
        Optional<ProcessInfo> process = ProcFs.read(pid.get()).filter(p -> !p.isZombie());
        Optional<Instant> expectedStart = entry.lastStatus == null ? Optional.empty() : entry.lastStatus.startedAt();
        boolean same = process.isPresent()
                && (expectedStart.isEmpty()
                        || expectedStart.get().equals(process.get().startedAt()));
        if (same && watcher.watch(service, process.get().identity())) {
            entry.watchedPid = pid;
        } else {
            // gone between the look and the watch: look again rather than assume
            observe(service);
        }
    }

    private void scheduleWake(String service, Entry entry) {
        if (entry.wake != null) {
            entry.wake.cancel(false);
            entry.wake = null;
        }
        Optional<Instant> at = entry.machine.wakeAt();
        if (at.isPresent()) {
            long delay = Math.max(0, Duration.between(clock.instant(), at.get()).toMillis());
            entry.wake = timer.schedule(
                    () -> post(() -> {
                        Entry now = entries.get(service);
                        if (now != null) {
                            feed(service, now, new Input.Tick());
                        }
                    }),
                    delay,
                    TimeUnit.MILLISECONDS);
        }
    }

    /** Completes a person's requests once the machine has settled (no action or look in flight). */
    private void answerWaiting(Entry entry) {
        if (entry.waiting.isEmpty()) {
            return;
        }
        Phase phase = entry.machine.phase();
        if (phase == Phase.STARTING || phase == Phase.STOPPING || phase == Phase.NEW || entry.observing) {
            return;
        }
        ActionResult answer = entry.lastResult != null ? entry.lastResult : settled(entry, phase);
        entry.lastResult = null;
        entry.waiting.forEach(w -> w.complete(answer));
        entry.waiting.clear();
    }

    /** The answer when nothing had to be done: say what the service is doing. */
    private static ActionResult settled(Entry entry, Phase phase) {
        String name = entry.config.name();
        Optional<Long> pid = entry.machine.snapshot().pid();
        return switch (phase) {
            case UP ->
                new ActionResult(
                        true,
                        name + ": already running" + pid.map(p -> ", pid " + p).orElse(""),
                        entry.lastStatus);
            case DOWN -> new ActionResult(true, name + ": not running", entry.lastStatus);
            default -> new ActionResult(true, name + ": " + phase.label(), entry.lastStatus);
        };
    }

    private void publish() {
        changed = false;
        List<ServiceMachine.Snapshot> list = new ArrayList<>();
        entries.values().forEach(e -> list.add(e.machine.snapshot()));
        if (list.equals(published)) {
            return; // looked at, nothing moved: the listeners (metrics of every service) have nothing to redo
        }
        published = List.copyOf(list);
        try {
            onPublish.accept(published);
        } catch (RuntimeException e) {
            LOG.warn("snapshot listener failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        engine.interrupt();
        try {
            engine.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        watcher.close();
        workers.shutdownNow();
    }
}
