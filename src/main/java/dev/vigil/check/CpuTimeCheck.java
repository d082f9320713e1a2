package dev.vigil.check;

import dev.vigil.process.ProcessIdentity;
import dev.vigil.process.ProcessInfo;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * CPU time of the process, in total or as a rate. The JDK's {@link ProcessHandle.Info#totalCpuDuration()} reads
 * utime + stime from /proc/PID/stat and converts clock ticks with sysconf(_SC_CLK_TCK); the identity is verified
 * before and after the read, so the time belongs to the process that was meant.
 */
final class CpuTimeCheck implements Check {
    /** Two samples closer than this say little (CPU time moves in 10ms ticks): the rate waits for the next run. */
    static final Duration MIN_SAMPLE_GAP = Duration.ofMillis(50);

    private record Sample(ProcessIdentity process, long atNanos, Duration cpu) {}

    private final CheckSpec.CpuTime spec;
    private final LongSupplier nanoTime;
    private final AtomicReference<Sample> previous = new AtomicReference<>();

    CpuTimeCheck(CheckSpec.CpuTime spec, LongSupplier nanoTime) {
        this.spec = spec;
        this.nanoTime = nanoTime;
    }

    @Override
    public CheckResult run(CheckTarget target) {
        return LiveProcess.measure(target, "cpu time", this::measure);
    }

    private CheckResult measure(ProcessInfo process) {
        long at = nanoTime.getAsLong();
        Optional<Duration> cpu =
                ProcessHandle.of(process.pid()).flatMap(h -> h.info().totalCpuDuration());
        if (cpu.isEmpty() || !LiveProcess.stillIs(process.identity())) {
            return new CheckResult.Unhealthy(
                    "cannot read the cpu time of " + LiveProcess.describe(process.identity()) + ": it has exited");
        }
        return spec.perInterval().isPresent()
                ? rate(
                        new Sample(process.identity(), at, cpu.get()),
                        spec.perInterval().get())
                : total(process.pid(), cpu.get());
    }

    private CheckResult total(long pid, Duration cpu) {
        String what = "cpu time " + Describe.duration(cpu) + " of pid " + pid;
        if (cpu.compareTo(spec.limit()) > 0) {
            return new CheckResult.Unhealthy(what + " exceeds the limit of " + Describe.duration(spec.limit()));
        }
        return new CheckResult.Healthy(what + ", limit " + Describe.duration(spec.limit()));
    }

    private CheckResult rate(Sample now, Duration per) {
        long pid = now.process().pid();
        Sample before = previous.get();
        if (before == null || !before.process().sameProcessAs(now.process())) {
            previous.set(now);
            return new CheckResult.Healthy("cpu time " + Describe.duration(now.cpu()) + " of pid " + pid
                    + ": baseline taken, the rate is measured from the next run");
        }
        Duration elapsed = Duration.ofNanos(now.atNanos() - before.atNanos());
        if (elapsed.compareTo(MIN_SAMPLE_GAP) < 0) {
            return new CheckResult.Healthy("cpu of pid " + pid + ": only " + Describe.duration(elapsed)
                    + " since the previous sample, the rate is measured at the next run");
        }
        previous.set(now);
        Duration used = now.cpu().minus(before.cpu());
        double share = (double) used.toNanos() / elapsed.toNanos();
        double allowed = (double) spec.limit().toNanos() / per.toNanos();
        String measured = String.format(
                Locale.ROOT,
                "pid %d used %s of cpu in %s (%.0f%% of a core)",
                pid,
                Describe.duration(used),
                Describe.duration(elapsed),
                share * 100);
        String limit = String.format(
                Locale.ROOT,
                "the limit of %s per %s (%.0f%%)",
                Describe.duration(spec.limit()),
                Describe.duration(per),
                allowed * 100);
        if (share > allowed) {
            return new CheckResult.Unhealthy(measured + ", over " + limit);
        }
        return new CheckResult.Healthy(measured + ", within " + limit);
    }
}
