package dev.vigil.check;

import dev.vigil.process.ProcessIdentity;
import dev.vigil.process.ProcessInfo;
import dev.vigil.process.linux.ProcFs;
import java.util.Optional;
import java.util.function.Function;

/**
 * The target's process as it is now. The snapshot in a {@link CheckTarget} may be seconds old and a pid alone is never
 * trusted, so checks that measure a process re-read it and compare its start time with the identity they were given.
 */
final class LiveProcess {
    private LiveProcess() {}

    /** Applies {@code measure} to a fresh reading of the target's process, or says why there is none. */
    static CheckResult measure(CheckTarget target, String what, Function<ProcessInfo, CheckResult> measure) {
        Optional<ProcessInfo> given = target.process();
        if (given.isEmpty()) {
            return new CheckResult.Unhealthy(target.service() + ": no process to measure " + what + " of");
        }
        ProcessIdentity expected = given.get().identity();
        Optional<ProcessInfo> now = ProcFs.read(expected.pid());
        if (now.isEmpty() || now.get().isZombie()) {
            return new CheckResult.Unhealthy(describe(expected) + " has exited; no " + what + " to measure");
        }
        if (!now.get().identity().sameProcessAs(expected)) {
            return new CheckResult.Unhealthy("pid " + expected.pid() + " now belongs to another process ("
                    + now.get().identity().commandLine() + "), not " + expected.commandLine());
        }
        return measure.apply(now.get());
    }

    /** Still the same process: its pid has the start time it had when identified. */
    static boolean stillIs(ProcessIdentity identity) {
        return ProcFs.startTicks(identity.pid())
                .filter(t -> t == identity.startTicks())
                .isPresent();
    }

    static String describe(ProcessIdentity identity) {
        return "pid " + identity.pid() + " (" + identity.commandLine() + ")";
    }
}
