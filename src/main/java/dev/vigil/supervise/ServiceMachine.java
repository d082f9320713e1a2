package dev.vigil.supervise;

import dev.vigil.driver.ActionResult;
import dev.vigil.driver.ServiceState;
import dev.vigil.driver.ServiceStatus;
import dev.vigil.store.DesiredState;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The decisions about one service: when it is down, whether to confirm, restart now, back off, give up or leave it
 * alone. Pure logic: it performs no I/O and reads time only from its {@link InstantSource}, so every path is tested
 * by moving a fake clock. Not thread-safe: the engine feeds one input at a time.
 *
 * <p>Rules, in the seeds' words: a person's stop is remembered and never "repaired" (Ganeti); a down seen by the
 * sweep is confirmed before acting (CloudStack: 5 checks, 1 s apart), an exit seen through a pidfd is certain;
 * restarts back off (delay, factor, cap) and the back-off starts over once the service stayed up for
 * {@code stableAfter}; after {@code maxRestarts} within the window the service is given up on for a cool-down
 * (CloudStack: 30 minutes) and then tried again; declared success exit codes are not restarted.
 */
public final class ServiceMachine {
    private final String name;
    private final InstantSource clock;
    private RestartPolicy policy;

    private DesiredState desired;
    private String desiredBy = "config";
    private Phase phase = Phase.NEW;
    private int downObservations;
    private final Deque<Instant> recentRestarts = new ArrayDeque<>();
    private int backoffStep;
    private int consecutiveFailures;
    private Optional<Instant> wakeAt = Optional.empty();
    private Optional<Instant> givenUpUntil = Optional.empty();
    private Optional<Instant> upSince = Optional.empty();
    private Optional<Long> pid = Optional.empty();
    private EventKind onStarted = EventKind.STARTED;
    private String lastReason = "";

    public ServiceMachine(String name, RestartPolicy policy, DesiredState desired, InstantSource clock) {
        this.name = name;
        this.policy = policy;
        this.desired = desired;
        this.clock = clock;
    }

    /** What survives a daemon restart; see {@link #restore}. */
    public record Memory(
            DesiredState desired,
            String desiredBy,
            List<Instant> recentRestarts,
            int backoffStep,
            int consecutiveFailures,
            Optional<Instant> nextAttemptAt,
            Optional<Instant> givenUpUntil) {
        public Memory {
            recentRestarts = List.copyOf(recentRestarts);
        }
    }

    /** A read-only view for status output and metrics. */
    public record Snapshot(
            String name,
            DesiredState desired,
            Phase phase,
            Optional<Long> pid,
            Optional<Instant> upSince,
            int restartsInWindow,
            int consecutiveFailures,
            Optional<Instant> nextAttemptAt,
            Optional<Instant> givenUpUntil,
            String lastReason) {}

    public Memory memory() {
        return new Memory(
                desired,
                desiredBy,
                new ArrayList<>(recentRestarts),
                backoffStep,
                consecutiveFailures,
                phase == Phase.BACKOFF ? wakeAt : Optional.empty(),
                givenUpUntil);
    }

    /** Resumes where a previous daemon left off: back-off and give-up windows continue, counters are kept. */
    public void restore(Memory memory) {
        desired = memory.desired();
        desiredBy = memory.desiredBy();
        recentRestarts.clear();
        recentRestarts.addAll(memory.recentRestarts());
        backoffStep = memory.backoffStep();
        consecutiveFailures = memory.consecutiveFailures();
        givenUpUntil = memory.givenUpUntil();
        if (givenUpUntil.isPresent()) {
            phase = Phase.GIVEN_UP;
            wakeAt = givenUpUntil;
        } else if (memory.nextAttemptAt().isPresent()) {
            phase = Phase.BACKOFF;
            wakeAt = memory.nextAttemptAt();
        }
    }

    public Snapshot snapshot() {
        pruneWindow();
        return new Snapshot(
                name,
                desired,
                phase,
                pid,
                upSince,
                recentRestarts.size(),
                consecutiveFailures,
                phase == Phase.BACKOFF ? wakeAt : Optional.empty(),
                givenUpUntil,
                lastReason);
    }

    /** When the machine wants a {@link Input.Tick} (a back-off ends, a confirmation is due, a give-up expires). */
    public Optional<Instant> wakeAt() {
        return wakeAt;
    }

    public Phase phase() {
        return phase;
    }

    public DesiredState desired() {
        return desired;
    }

    /** A new configuration for the same service: the policy applies from the next decision on. */
    public void updatePolicy(RestartPolicy newPolicy) {
        this.policy = newPolicy;
    }

    public List<Action> on(Input input) {
        List<Action> actions = new ArrayList<>();
        switch (input) {
            case Input.Observed(ServiceStatus status) -> observed(status, actions);
            case Input.Exited(long exitedPid, Optional<Integer> code) -> exited(exitedPid, code, actions);
            case Input.CheckFailed(String check, String why, boolean restart) ->
                checkFailed(check, why, restart, actions);
            case Input.StartFinished(ActionResult result) -> startFinished(result, actions);
            case Input.StopFinished(ActionResult result) -> stopFinished(result, actions);
            case Input.Tick() -> tick(actions);
            case Input.Person(Input.Request request, String who) -> person(request, who, actions);
        }
        return actions;
    }

    private void observed(ServiceStatus status, List<Action> actions) {
        boolean running = status.state() == ServiceState.RUNNING || status.state() == ServiceState.STARTING;
        if (phase == Phase.STARTING || phase == Phase.STOPPING || phase == Phase.UNMONITORED) {
            return; // an action is in flight, or we were told to look away
        }
        if (running) {
            seenRunning(status, actions);
        } else {
            seenDown(status, actions);
        }
    }

    private void seenRunning(ServiceStatus status, List<Action> actions) {
        Instant now = clock.instant();
        Optional<Long> seenPid = status.pid();
        switch (phase) {
            case NEW -> {
                emit(actions, EventKind.ADOPTED, "running" + pidText(seenPid) + ", now watched");
                becomeUp(seenPid, status.startedAt().orElse(now));
            }
            case UP -> {
                if (!seenPid.equals(pid)) {
                    // replaced behind our back (someone, or systemd's Restart=, restarted it): record, adopt, go on
                    emit(
                            actions,
                            EventKind.REPLACED,
                            "now running as" + pidText(seenPid) + " (was" + pidText(pid)
                                    + "), restarted by something else: " + status.detail());
                    becomeUp(seenPid, now);
                }
                if (upSince.isPresent()
                        && !upSince.get().plus(policy.stableAfter()).isAfter(now)) {
                    backoffStep = 0;
                    consecutiveFailures = 0;
                }
            }
            case CONFIRMING -> {
                emit(
                        actions,
                        EventKind.RECOVERED,
                        "running again" + pidText(seenPid) + " before it was confirmed down");
                phase = Phase.UP;
                wakeAt = Optional.empty();
            }
            case BACKOFF, GIVEN_UP -> {
                emit(actions, EventKind.RECOVERED, "running again" + pidText(seenPid) + " by itself");
                givenUpUntil = Optional.empty();
                becomeUp(seenPid, now);
            }
            case DOWN -> {
                if (desired == DesiredState.STOPPED && !pid.equals(seenPid)) {
                    emit(
                            actions,
                            EventKind.RUNNING_UNWANTED,
                            "running" + pidText(seenPid)
                                    + " although it was stopped on purpose; leaving it alone ('vigil start' to watch it again)");
                }
                pid = seenPid;
            }
            default -> {}
        }
    }

    private void seenDown(ServiceStatus status, List<Action> actions) {
        switch (phase) {
            case NEW -> {
                if (desired != DesiredState.RUNNING) {
                    enterDown(actions, null);
                } else if (policy.autostart()) {
                    start(
                            actions,
                            "autostart: found down when the daemon started watching (" + status.detail() + ")",
                            false);
                } else {
                    enterDown(actions, "down and autostart is off; left down");
                }
            }
            case UP -> {
                if (policy.confirmations() > 1) {
                    phase = Phase.CONFIRMING;
                    downObservations = 1;
                    lastReason = status.detail();
                    wakeAt = Optional.of(clock.instant().plus(policy.confirmInterval()));
                } else {
                    died(actions, status.detail());
                }
            }
            case CONFIRMING -> {
                downObservations++;
                lastReason = status.detail();
                if (downObservations >= policy.confirmations()) {
                    died(actions, status.detail() + " (confirmed " + downObservations + " times)");
                } else {
                    wakeAt = Optional.of(clock.instant().plus(policy.confirmInterval()));
                }
            }
            case DOWN -> pid = Optional.empty();
            default -> {}
        }
    }

    private void exited(long exitedPid, Optional<Integer> code, List<Action> actions) {
        if (phase != Phase.UP && phase != Phase.CONFIRMING) {
            return; // a stop we asked for, or a process we no longer consider the service
        }
        if (pid.isPresent() && pid.get() != exitedPid) {
            return;
        }
        if (code.isPresent() && policy.successExitCodes().contains(code.get())) {
            pid = Optional.empty();
            enterDown(actions, null);
            emit(
                    actions,
                    EventKind.EXITED_SUCCESS,
                    "exited with status " + code.get() + ", declared a success exit code: not restarting");
            return;
        }
        died(
                actions,
                "pid " + exitedPid + (code.map(c -> " exited with status " + c).orElse(" exited")));
    }

    private void checkFailed(String check, String why, boolean restart, List<Action> actions) {
        if (phase != Phase.UP) {
            return;
        }
        emit(actions, EventKind.CHECK_FAILED, "check " + check + " failed: " + why + (restart ? "; restarting" : ""));
        if (restart) {
            lastReason = "check " + check + ": " + why;
            restartOrBackOff(actions, "check " + check + " failed", true);
        }
    }

    private void died(List<Action> actions, String why) {
        if (upSince.isPresent() && !upSince.get().plus(policy.stableAfter()).isAfter(clock.instant())) {
            backoffStep = 0; // it had been up long enough: this is a new failure, not a crash loop
            consecutiveFailures = 0;
        }
        pid = Optional.empty();
        upSince = Optional.empty();
        lastReason = why;
        if (desired != DesiredState.RUNNING) {
            enterDown(actions, null);
            return;
        }
        if (!policy.autorestart()) {
            emit(actions, EventKind.DIED, why + "; autorestart is off, left down");
            enterDown(actions, null);
            return;
        }
        emit(actions, EventKind.DIED, why);
        restartOrBackOff(actions, why, false);
    }

    /** The heart of the policy: give up, wait, or start now. */
    private void restartOrBackOff(List<Action> actions, String why, boolean processStillThere) {
        Instant now = clock.instant();
        pruneWindow();
        if (policy.maxRestarts() > 0 && recentRestarts.size() >= policy.maxRestarts()) {
            giveUp(actions, now);
            return;
        }
        Duration delay = policy.delayBefore(backoffStep);
        if (delay.isZero() || processStillThere) {
            start(actions, why, processStillThere);
            return;
        }
        phase = Phase.BACKOFF;
        wakeAt = Optional.of(now.plus(delay));
        emit(actions, EventKind.BACKING_OFF, "restart " + (backoffStep + 1) + " in " + human(delay));
    }

    private void giveUp(List<Action> actions, Instant now) {
        phase = Phase.GIVEN_UP;
        givenUpUntil = policy.giveUpFor().map(now::plus);
        wakeAt = givenUpUntil;
        emit(
                actions,
                EventKind.GAVE_UP,
                "restart limit reached (" + recentRestarts.size() + " in "
                        + human(policy.restartWindow()) + "); giving up "
                        + givenUpUntil.map(t -> "until " + t).orElse("until a person acts")
                        + ". Run 'vigil reset " + name + "' to retry now");
    }

    /** A first start (autostart, a person's start) reports STARTED; any other start is a restart. */
    private void start(List<Action> actions, String reason, boolean restart) {
        onStarted = phase == Phase.NEW || phase == Phase.DOWN ? EventKind.STARTED : EventKind.RESTARTED;
        if (restart) {
            onStarted = EventKind.RESTARTED;
        }
        phase = Phase.STARTING;
        wakeAt = Optional.empty();
        recentRestarts.addLast(clock.instant());
        backoffStep++;
        actions.add(new Action.Start(reason, restart));
    }

    private void startFinished(ActionResult result, List<Action> actions) {
        if (phase != Phase.STARTING) {
            return;
        }
        if (result.ok()) {
            emit(actions, onStarted, result.message());
            becomeUp(result.after().pid(), clock.instant());
            return;
        }
        consecutiveFailures++;
        lastReason = result.message();
        emit(actions, EventKind.RESTART_FAILED, result.message());
        if (desired != DesiredState.RUNNING) {
            enterDown(actions, null);
            return;
        }
        restartOrBackOff(actions, "the last start failed", false);
    }

    private void stopFinished(ActionResult result, List<Action> actions) {
        if (phase != Phase.STOPPING) {
            return;
        }
        pid = Optional.empty();
        upSince = Optional.empty();
        if (result.ok()) {
            emit(actions, EventKind.STOPPED, result.message());
            enterDown(actions, null);
        } else {
            emit(actions, EventKind.STOP_FAILED, result.message());
            phase = Phase.UP; // still there: keep watching it
            pid = result.after().pid();
        }
    }

    private void tick(List<Action> actions) {
        Instant now = clock.instant();
        if (wakeAt.isEmpty() || wakeAt.get().isAfter(now)) {
            return;
        }
        switch (phase) {
            case CONFIRMING -> {
                wakeAt = Optional.empty();
                actions.add(new Action.Observe());
            }
            case BACKOFF -> start(actions, "back-off over after: " + lastReason, false);
            case GIVEN_UP -> {
                givenUpUntil = Optional.empty();
                recentRestarts.clear();
                backoffStep = 0;
                emit(actions, EventKind.RETRYING, "cool-down over; trying again");
                start(actions, "retry after give-up", false);
            }
            default -> wakeAt = Optional.empty();
        }
    }

    private void person(Input.Request request, String who, List<Action> actions) {
        switch (request) {
            case START -> {
                setDesired(DesiredState.RUNNING, who, actions);
                clearGiveUp();
                if (phase != Phase.UP && phase != Phase.STARTING) {
                    phase = Phase.NEW; // look first: it may already run
                    actions.add(new Action.Observe());
                }
            }
            case RESTART -> {
                setDesired(DesiredState.RUNNING, who, actions);
                clearGiveUp();
                if (phase != Phase.STARTING && phase != Phase.STOPPING) {
                    start(actions, "restart asked by " + who, true);
                }
            }
            case STOP -> {
                setDesired(DesiredState.STOPPED, who, actions);
                wakeAt = Optional.empty();
                if (phase != Phase.STOPPING) {
                    phase = Phase.STOPPING;
                    actions.add(new Action.Stop("stop asked by " + who));
                }
            }
            case UNMONITOR -> {
                setDesired(DesiredState.UNMONITORED, who, actions);
                phase = Phase.UNMONITORED;
                wakeAt = Optional.empty();
            }
            case RESET -> {
                clearGiveUp();
                recentRestarts.clear();
                backoffStep = 0;
                consecutiveFailures = 0;
                if (desired == DesiredState.RUNNING && phase != Phase.UP && phase != Phase.STARTING) {
                    phase = Phase.NEW;
                    actions.add(new Action.Observe());
                }
            }
        }
    }

    private void setDesired(DesiredState state, String who, List<Action> actions) {
        if (desired != state) {
            emit(
                    actions,
                    EventKind.DESIRED_CHANGED,
                    "desired state " + desired.name().toLowerCase(java.util.Locale.ROOT) + " -> "
                            + state.name().toLowerCase(java.util.Locale.ROOT) + " by " + who);
            desired = state;
        }
    }

    private void clearGiveUp() {
        givenUpUntil = Optional.empty();
        if (phase == Phase.GIVEN_UP || phase == Phase.BACKOFF) {
            wakeAt = Optional.empty();
            phase = Phase.DOWN;
        }
    }

    private void becomeUp(Optional<Long> newPid, Instant since) {
        phase = Phase.UP;
        pid = newPid;
        upSince = Optional.of(since);
        wakeAt = Optional.empty();
        downObservations = 0;
    }

    private void enterDown(List<Action> actions, String message) {
        phase = desired == DesiredState.UNMONITORED ? Phase.UNMONITORED : Phase.DOWN;
        wakeAt = Optional.empty();
        if (message != null) {
            emit(actions, EventKind.LEFT_DOWN, message);
        }
    }

    private void pruneWindow() {
        Instant horizon = clock.instant().minus(policy.restartWindow());
        while (!recentRestarts.isEmpty() && recentRestarts.peekFirst().isBefore(horizon)) {
            recentRestarts.removeFirst();
        }
    }

    private void emit(List<Action> actions, EventKind kind, String message) {
        actions.add(new Action.Emit(kind, message));
    }

    /** The JDK reports death by signal N as 128+N, as shells do; say which it was. */
    static String describeExit(int code) {
        return code > 128 && code < 128 + 65 ? " was killed by signal " + (code - 128) : " exited with status " + code;
    }

    private static String pidText(Optional<Long> pid) {
        return pid.map(p -> " (pid " + p + ")").orElse("");
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s >= 3600 && s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s >= 60 && s % 60 == 0) {
            return s / 60 + "m";
        }
        return d.toMillis() % 1000 == 0 ? s + "s" : d.toMillis() / 1000.0 + "s";
    }
}
