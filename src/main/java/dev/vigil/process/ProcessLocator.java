package dev.vigil.process;

import dev.vigil.process.linux.ProcFs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds a service's process the way usrsvc does, but never on a pid alone: the pidfile first, verified against the
 * identity Vigil recorded (same start time, same boot) or, with no record, against proctitle_re and the user; then,
 * with scan_for_process, a scan of the user's processes for proctitle_re, which adopts what it finds (rewrites the
 * pidfile and the identity record).
 */
public final class ProcessLocator {

    /**
     * What to look for.
     *
     * @param service the service's name (key of its identity record)
     * @param pidfile where its pid is kept
     * @param scan look for {@code proctitle} among the user's processes when the pidfile does not lead to it
     * @param proctitle what the process's command line must contain (usrsvc's proctitle_re)
     */
    public record Target(String service, Path pidfile, boolean scan, Pattern proctitle) {}

    /** The outcome of a lookup. */
    public sealed interface Lookup {
        /** The service's process, verified; {@code how} says how it was found, for people. */
        record Found(ProcessInfo process, String how) implements Lookup {}

        /**
         * No process; {@code pidfileLeft} when a pidfile is there anyway (LSB: "dead, but the pidfile exists").
         */
        record NotFound(boolean pidfileLeft, String why) implements Lookup {}
    }

    private final IdentityStore identities;
    private final SharedReading readings;

    public ProcessLocator(IdentityStore identities) {
        this(identities, new SharedReading());
    }

    /** A locator whose {@link #locateRecent} shares readings of /proc with every locator given {@code readings}. */
    public ProcessLocator(IdentityStore identities, SharedReading readings) {
        this.identities = identities;
        this.readings = readings;
    }

    /** Looks afresh: what a start or stop decides on. */
    public Lookup locate(Target target) {
        return locate(target, ProcessLocator::scan);
    }

    /**
     * Looks like {@link #locate}, but a scan may use a reading of every process shared for a moment
     * ({@link SharedReading}), so that a sweep over many services without pidfiles walks /proc once, not
     * once each. A process found that way is re-read before it is reported; a service reported down may have been
     * started within that moment, which the next look sees.
     */
    public Lookup locateRecent(Target target) {
        return locate(target, readings::scan);
    }

    private Lookup locate(Target target, java.util.function.Function<Pattern, Optional<ProcessInfo>> scanner) {
        Optional<IdentityStore.Record> record = identities.read(target.service());
        String pidfileProblem;
        boolean pidfileLeft = false;
        switch (Pidfile.read(target.pidfile())) {
            case Pidfile.Content.Missing() -> pidfileProblem = "no pidfile " + target.pidfile();
            case Pidfile.Content.Unusable(String why) -> {
                pidfileLeft = true;
                pidfileProblem = "pidfile " + target.pidfile() + " is unusable: " + why;
            }
            case Pidfile.Content.Pid(long pid) -> {
                pidfileLeft = true;
                Optional<ProcessInfo> process = ProcFs.read(pid);
                Optional<String> mismatch = process.isEmpty()
                        ? Optional.of("is not running")
                        : mismatch(process.get(), record, target.proctitle());
                if (mismatch.isEmpty()) {
                    ProcessInfo found = process.get();
                    remember(target, found, false);
                    return new Lookup.Found(
                            found, "pid " + pid + " from pidfile " + target.pidfile() + ", identity verified");
                }
                pidfileProblem = "pidfile " + target.pidfile() + " names pid " + pid + ", which " + mismatch.get()
                        + (process.isPresent() && !process.get().isZombie() ? ": stale" : "");
            }
        }
        if (target.scan()) {
            Optional<ProcessInfo> scanned = scanner.apply(target.proctitle());
            if (scanned.isPresent()) {
                ProcessInfo found = scanned.get();
                String kept = remember(target, found, true);
                return new Lookup.Found(
                        found,
                        "adopted pid " + found.pid() + ", found by scanning for proctitle_re /"
                                + target.proctitle().pattern() + "/ (" + pidfileProblem + ")" + kept);
            }
            return new Lookup.NotFound(
                    pidfileLeft,
                    pidfileProblem + "; no process of this user matches proctitle_re /"
                            + target.proctitle().pattern() + "/");
        }
        return new Lookup.NotFound(pidfileLeft, pidfileProblem);
    }

    /**
     * Why {@code process} is not the service's process, or empty when it is. A start time that matches the recorded
     * identity is proof; without a record, the command line must match proctitle_re and the user must be ours.
     */
    static Optional<String> mismatch(ProcessInfo process, Optional<IdentityStore.Record> record, Pattern proctitle) {
        if (process.isZombie()) {
            return Optional.of("has exited (a zombie waiting for its parent)");
        }
        if (record.isPresent()
                && record.get().fromThisBoot()
                && record.get().identity().pid() == process.pid()) {
            ProcessIdentity known = record.get().identity();
            if (known.startTicks() != process.identity().startTicks()) {
                return Optional.of(
                        "was reused by another process (\"" + process.identity().commandLine()
                                + "\", started " + process.startedAt() + "; the service's started "
                                + ProcFs.instantOfTicks(known.startTicks()) + ")");
            }
            return Optional.empty();
        }
        if (!proctitle.matcher(process.identity().commandLine()).find()) {
            return Optional.of("is another program (\"" + process.identity().commandLine()
                    + "\" does not match proctitle_re /" + proctitle.pattern() + "/)");
        }
        int self = ProcFs.selfUid();
        if (self != 0 && process.identity().uid() != self) {
            return Optional.of("belongs to uid " + process.identity().uid() + ", not to this user (uid " + self + ")");
        }
        return Optional.empty();
    }

    /**
     * The user's process whose command line matches, preferring the top of a matching tree (a wrapper shell and its
     * child both match: the wrapper is the service) and then the oldest. Vigil itself and its ancestors are never
     * candidates: the shell that ran {@code vigil start web} may well mention "web".
     */
    public static Optional<ProcessInfo> scan(Pattern proctitle) {
        // only the command line is read of every process; the rest only of those that match
        return scan(
                proctitle,
                ProcFs.withCommandLine(cmdline -> proctitle.matcher(cmdline).find()));
    }

    /** As {@link #scan(Pattern)}, among {@code processes} (a fresh or recent reading of /proc). */
    public static Optional<ProcessInfo> scan(Pattern proctitle, List<ProcessInfo> processes) {
        int self = ProcFs.selfUid();
        Set<Long> excluded = ancestorsOfSelf();
        List<ProcessInfo> matches = processes.stream()
                .filter(p -> !p.isZombie())
                .filter(p -> p.identity().uid() == self)
                .filter(p -> !excluded.contains(p.pid()))
                .filter(p -> !p.identity().cmdline().isEmpty())
                .filter(p -> proctitle.matcher(p.identity().commandLine()).find())
                .toList();
        Set<Long> matchingPids = new HashSet<>();
        matches.forEach(p -> matchingPids.add(p.pid()));
        return matches.stream()
                .filter(p -> !matchingPids.contains(p.ppid()))
                .min(Comparator.comparingLong(p -> p.identity().startTicks()));
    }

    private static Set<Long> ancestorsOfSelf() {
        Set<Long> pids = new HashSet<>();
        long pid = ProcFs.selfPid();
        while (pid > 1 && pids.add(pid)) {
            pid = ProcFs.read(pid).map(ProcessInfo::ppid).orElse(0L);
        }
        return pids;
    }

    /** Records the verified identity (and rewrites the pidfile after a scan); returns a note when that failed. */
    private String remember(Target target, ProcessInfo found, boolean rewritePidfile) {
        try {
            Optional<IdentityStore.Record> known = identities.read(target.service());
            if (known.isEmpty() || !known.get().identity().sameProcessAs(found.identity())) {
                identities.write(target.service(), found.identity());
            }
            if (rewritePidfile) {
                Pidfile.write(target.pidfile(), found.pid());
            }
            return "";
        } catch (IOException e) {
            return "; could not record it: " + e.getMessage();
        }
    }
}
