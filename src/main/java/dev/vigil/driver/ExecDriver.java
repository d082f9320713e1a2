package dev.vigil.driver;

import dev.vigil.config.DriverSpec;
import dev.vigil.config.ServiceConfig;
import dev.vigil.process.DetachedLauncher;
import dev.vigil.process.IdentityStore;
import dev.vigil.process.Pidfile;
import dev.vigil.process.ProcessIdentity;
import dev.vigil.process.ProcessInfo;
import dev.vigil.process.ProcessLocator;
import dev.vigil.process.ProcessLocator.Lookup;
import dev.vigil.process.ProcessStopper;
import dev.vigil.process.ProcessStopper.Stopped;
import dev.vigil.process.SharedReading;
import dev.vigil.process.linux.Pidfd;
import dev.vigil.process.linux.ProcFs;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A service that Vigil launches itself (usrsvc semantics). A start succeeds only if a process matching the
 * service's proctitle_re is alive after success_seconds: the launched process itself, one of its descendants (a
 * wrapper shell), or, when the launched process exited 0 on its own (a daemon that forks), a matching process of this
 * user that started after it. Waiting is a single timed wait on the child, not a poll loop, and a child that exits
 * non-zero fails the start at once with its status and the last lines of its log.
 */
public final class ExecDriver implements Driver {
    private final ServiceConfig service;
    private final DriverSpec.Exec spec;
    private final Path pidfile;
    private final IdentityStore identities;
    private final ProcessLocator locator;
    private final ProcessLocator.Target target;
    /** Longest wait for the launch chain to exec the command, when success_seconds is shorter. */
    private static final Duration EXEC_SETTLE = Duration.ofSeconds(2);

    /** How long to look for the child of a process that exited during success_seconds. */
    private static final Duration FORK_GRACE = Duration.ofMillis(500);

    private volatile Process lastLaunched;
    /** Vigil stays the parent only when it must learn exit codes; see {@link DetachedLauncher#launch}. */
    private final boolean launchAsChild;

    public ExecDriver(ServiceConfig service, IdentityStore identities) {
        this(service, identities, new SharedReading());
    }

    /** A driver whose status looks share readings of /proc with the other drivers given {@code readings}. */
    public ExecDriver(ServiceConfig service, IdentityStore identities, SharedReading readings) {
        this.service = service;
        this.spec = (DriverSpec.Exec) service.driver();
        this.pidfile = service.identity()
                .pidfile()
                .orElseThrow(() -> new IllegalArgumentException(service.name() + ": exec service without pidfile"));
        this.identities = identities;
        this.launchAsChild = !service.supervision().successExitCodes().isEmpty();
        this.locator = new ProcessLocator(identities, readings);
        this.target = new ProcessLocator.Target(
                service.name(), pidfile, service.identity().scanForProcess(), proctitle(service));
    }

    /**
     * proctitle_re, or one derived from the command: the command line starts with the argv, after at most one word
     * (a script shows up as "/bin/sh /path/script" or "/usr/bin/python3 /path/script.py"), so that a tool that merely
     * mentions the command in its own arguments is not taken for the service; or, in shell mode, the shell text.
     */
    public static Pattern proctitle(ServiceConfig service) {
        if (service.identity().proctitleRe().isPresent()) {
            return service.identity().proctitleRe().get();
        }
        DriverSpec.Exec exec = (DriverSpec.Exec) service.driver();
        return exec.shell()
                ? Pattern.compile(Pattern.quote(exec.command().getFirst()))
                : Pattern.compile("^(?:\\S+ )?" + Pattern.quote(String.join(" ", exec.command())) + "(?:\\s|$)");
    }

    @Override
    public ServiceStatus status() {
        // a look may use a reading of /proc shared for a moment (a sweep of many services walks /proc once);
        // start and stop always look afresh
        return describe(locator.locateRecent(target));
    }

    private ServiceStatus describe(Lookup lookup) {
        return switch (lookup) {
            case Lookup.Found(ProcessInfo process, String how) -> running(process, how);
            case Lookup.NotFound(boolean pidfileLeft, String why) ->
                notRunning(pidfileLeft ? ServiceState.FAILED : ServiceState.STOPPED, why);
        };
    }

    @Override
    public ActionResult start() {
        ServiceStatus before = describe(locator.locate(target));
        if (before.state() == ServiceState.RUNNING) {
            return new ActionResult(
                    true,
                    service.name() + ": already running, pid " + before.pid().orElseThrow(),
                    before);
        }
        DetachedLauncher.Launched launched;
        try {
            launched = DetachedLauncher.launch(request(), launchAsChild);
        } catch (IOException e) {
            return failed("could not be started: " + e.getMessage());
        }
        launched.child().ifPresent(child -> lastLaunched = child);
        long began = System.nanoTime();
        boolean exitedEarly = awaitExit(launched, service.successWait());
        Optional<Integer> code = launched.child().flatMap(child -> exitCode(child, Duration.ofMillis(200)));
        if (exitedEarly && code.isPresent() && code.get() != 0) {
            return failed("exited with status " + code.get() + " after " + seconds(since(began)) + logTail(launched));
        }
        Optional<ProcessInfo> found;
        if (exitedEarly) {
            // gone before success_seconds: a crash, or a daemon that forked and exited; only a forked child tells
            found = awaitForked(launched, service.successWait().minus(since(began)));
            if (found.isPresent()) {
                ProcessIdentity child = found.get().identity();
                sleepQuietly(service.successWait().minus(since(began)));
                found = ProcFs.read(child.pid())
                        .filter(p -> !p.isZombie())
                        .filter(p -> p.identity().startTicks() == child.startTicks());
            }
        } else {
            found = inTree(launched);
        }
        if (found.isEmpty()) {
            return noMatch(launched, exitedEarly, code, began);
        }
        ProcessInfo process = found.get();
        String recorded = record(process);
        return new ActionResult(
                true,
                service.name() + ": started, pid " + process.pid() + " alive after " + seconds(since(began)) + recorded,
                running(process, "pid " + process.pid() + " started by Vigil, identity verified"));
    }

    @Override
    public ActionResult stop() {
        Lookup lookup = locator.locate(target);
        if (lookup instanceof Lookup.NotFound(boolean pidfileLeft, String why)) {
            String cleaned = pidfileLeft && service.identity().autopid() ? forget() : "";
            ServiceStatus after = notRunning(ServiceState.STOPPED, why);
            return new ActionResult(true, service.name() + ": not running (" + why + ")" + cleaned, after);
        }
        ProcessInfo process = ((Lookup.Found) lookup).process();
        Stopped stopped = ProcessStopper.stop(process.identity(), service.termToKill(), spec.killProcessGroup());
        String what = service.name() + ": pid " + process.pid();
        return switch (stopped) {
            case Stopped.AlreadyGone() -> stoppedResult(what + " had already exited");
            case Stopped.Terminated(Duration took) ->
                stoppedResult(what + " terminated by SIGTERM after " + seconds(took));
            case Stopped.Killed(Duration took) ->
                stoppedResult(what + " ignored SIGTERM for " + seconds(service.termToKill())
                        + ", killed with SIGKILL after " + seconds(took));
            case Stopped.Stuck(String why) -> new ActionResult(false, what + " could not be stopped: " + why, status());
        };
    }

    @Override
    public ActionResult restart() {
        ActionResult stopped = stop();
        if (!stopped.ok()) {
            return stopped;
        }
        ActionResult started = start();
        return new ActionResult(started.ok(), stopped.message() + "; " + started.message(), started.after());
    }

    @Override
    public Optional<Integer> exitCodeOf(long pid) {
        Process launched = lastLaunched;
        if (launched == null || launched.pid() != pid) {
            return Optional.empty();
        }
        // the exit was seen through the pidfd a moment ago; the JDK's reaper needs only that moment to collect it
        return exitCode(launched, Duration.ofMillis(200));
    }

    private DetachedLauncher.Request request() {
        List<String> argv =
                spec.shell() ? List.of("/bin/sh", "-c", spec.command().getFirst()) : spec.command();
        return new DetachedLauncher.Request(
                argv, spec.stdout(), spec.stderr(), spec.env(), spec.inheritEnv(), spec.workingDirectory());
    }

    /**
     * Waits up to {@code bound} for the launched process to exit, on its pidfd (a single wait, parent or not); true
     * when it exited (or was already gone).
     */
    private static boolean awaitExit(DetachedLauncher.Launched launched, Duration bound) {
        Optional<Pidfd> pidfd = Pidfd.open(launched.pid());
        if (pidfd.isEmpty()) {
            return true;
        }
        try (Pidfd fd = pidfd.get()) {
            if (ProcFs.startTicks(launched.pid()).orElse(-1L) != launched.startTicks()) {
                return true; // already gone, and the pid taken by another process
            }
            return fd.awaitExit(bound);
        }
    }

    private static Optional<Integer> exitCode(Process child, Duration bound) {
        try {
            return child.waitFor(bound.toNanos(), TimeUnit.NANOSECONDS)
                    ? Optional.of(child.exitValue())
                    : Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * The launched process if it matches, else its topmost matching descendant (a wrapper's child). With a short
     * success_seconds the launch chain (sh, setsid, env) may not have reached the command's exec yet, and a command
     * line read during an exec can be neither the old nor the new one: look again for a moment ({@link
     * #EXEC_SETTLE}) while the process lives and nothing matches. A command line that never matches fails the start
     * only after that moment.
     */
    private Optional<ProcessInfo> inTree(DetachedLauncher.Launched launched) {
        long deadline = System.nanoTime() + EXEC_SETTLE.toNanos();
        while (true) {
            Optional<ProcessInfo> self = ProcFs.read(launched.pid())
                    .filter(p -> !p.isZombie() && p.identity().startTicks() == launched.startTicks());
            if (self.isEmpty()) {
                return Optional.empty();
            }
            if (matches(self.get())) {
                return self;
            }
            Optional<ProcessInfo> child = ProcessHandle.of(launched.pid()).stream()
                    .flatMap(ProcessHandle::descendants)
                    .map(h -> ProcFs.read(h.pid()))
                    .flatMap(Optional::stream)
                    .filter(this::matches)
                    .min(Comparator.comparingLong(p -> p.identity().startTicks()));
            if (child.isPresent() || System.nanoTime() >= deadline) {
                return child;
            }
            sleepQuietly(Duration.ofMillis(2));
        }
    }

    /**
     * After the launched process exited early: the forked child it left, looked for during at most
     * {@link #FORK_GRACE} (a forked child exists before its parent exits, but may not have exec'd yet).
     */
    private Optional<ProcessInfo> awaitForked(DetachedLauncher.Launched launched, Duration left) {
        long deadline = System.nanoTime() + Math.min(FORK_GRACE.toNanos(), Math.max(0, left.toNanos()));
        while (true) {
            Optional<ProcessInfo> forked = afterFork(launched.startTicks(), launched.pid());
            if (forked.isPresent()) {
                return forked;
            }
            if (System.nanoTime() >= deadline) {
                return afterFork(launched.startTicks(), 0); // pids may have wrapped around: look at all once
            }
            sleepQuietly(Duration.ofMillis(25));
        }
    }

    /** After a fork-and-exit: the program's own pidfile (autopid = false), else a scan for what started after it. */
    private Optional<ProcessInfo> afterFork(long launchedTicks, long abovePid) {
        if (!service.identity().autopid()
                && locator.locate(target) instanceof Lookup.Found(ProcessInfo p, String how)) {
            return Optional.of(p);
        }
        return ProcessLocator.scan(target.proctitle(), ProcFs.startedSince(launchedTicks, abovePid));
    }

    private boolean matches(ProcessInfo process) {
        return !process.isZombie()
                && target.proctitle().matcher(process.identity().commandLine()).find();
    }

    /** Nothing matching after success_seconds: say what was seen, and stop what we started rather than orphan it. */
    private ActionResult noMatch(
            DetachedLauncher.Launched launched, boolean exited, Optional<Integer> code, long began) {
        Optional<ProcessInfo> alive = ProcFs.read(launched.pid())
                .filter(p -> !p.isZombie() && p.identity().startTicks() == launched.startTicks());
        if (!exited && alive.isPresent()) {
            ProcessStopper.stop(alive.get().identity(), service.termToKill(), spec.killProcessGroup());
            return failed("pid " + launched.pid() + " is running as \""
                    + alive.get().identity().commandLine()
                    + "\", which does not match proctitle_re /"
                    + target.proctitle().pattern()
                    + "/; it was stopped again. Set proctitle_re to match the process's command line");
        }
        String how = code.map(c -> "exited with status " + c).orElse("exited");
        return failed(how + " within " + seconds(since(began)) + " and left no process matching proctitle_re /"
                + target.proctitle().pattern() + "/" + logTail(launched));
    }

    private String record(ProcessInfo process) {
        try {
            if (service.identity().autopid()) {
                Pidfile.write(pidfile, process.pid());
            }
            identities.write(service.name(), process.identity());
            return "";
        } catch (IOException e) {
            return " (but its pidfile could not be written: " + e.getMessage() + ")";
        }
    }

    private String forget() {
        try {
            Pidfile.delete(pidfile);
            identities.delete(service.name());
            return "; removed its stale pidfile";
        } catch (IOException e) {
            return "; could not remove its stale pidfile: " + e.getMessage();
        }
    }

    private ActionResult stoppedResult(String message) {
        String cleaned = "";
        try {
            if (service.identity().autopid()) {
                Pidfile.delete(pidfile);
            }
            identities.delete(service.name());
        } catch (IOException e) {
            cleaned = " (could not remove its pidfile: " + e.getMessage() + ")";
        }
        return new ActionResult(true, message + cleaned, status());
    }

    private ActionResult failed(String why) {
        return new ActionResult(false, service.name() + ": " + why, status());
    }

    private String logTail(DetachedLauncher.Launched launched) {
        String tail = DetachedLauncher.tail(spec.stderr(), launched.logOffset(), 3);
        return tail.isEmpty()
                ? "; its log " + spec.stderr() + " is empty"
                : "; last lines of " + spec.stderr() + ": " + tail;
    }

    private ServiceStatus running(ProcessInfo process, String how) {
        return new ServiceStatus(
                service.name(),
                ServiceState.RUNNING,
                Optional.of(process.pid()),
                Optional.of(process.startedAt()),
                process.identity().commandLine(),
                spec.name(),
                how);
    }

    private ServiceStatus notRunning(ServiceState state, String why) {
        return new ServiceStatus(
                service.name(),
                state,
                Optional.empty(),
                Optional.empty(),
                String.join(" ", spec.command()),
                spec.name(),
                why);
    }

    private static Duration since(long nanoTime) {
        return Duration.ofNanos(System.nanoTime() - nanoTime);
    }

    /** "1s", "0.3s", "12.5s": what people read in messages. */
    static String seconds(Duration d) {
        double s = Math.round(d.toMillis() / 100.0) / 10.0;
        return (s == Math.rint(s) ? String.valueOf((long) s) : String.valueOf(s)) + "s";
    }

    private static void sleepQuietly(Duration d) {
        if (d.isNegative() || d.isZero()) {
            return;
        }
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
