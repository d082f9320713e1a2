package dev.vigil.supervise;

import dev.vigil.check.Check;
import dev.vigil.check.CheckResult;
import dev.vigil.check.CheckRunner;
import dev.vigil.check.CheckSchedule;
import dev.vigil.check.CheckSpec;
import dev.vigil.check.CheckTarget;
import dev.vigil.check.Checks;
import dev.vigil.check.FailureWindow;
import dev.vigil.config.ServiceConfig;
import dev.vigil.process.ProcessInfo;
import dev.vigil.shell.LocalShell;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One service's health checks: which are due, how to run each, and the tolerance window of each. The schedule and
 * windows are touched only by the engine thread; {@link #run} runs on a worker and touches neither.
 */
final class ServiceChecks {
    private static final CheckRunner RUNNER = new CheckRunner();

    private final List<CheckSpec> specs;
    private final CheckSchedule schedule;
    private final Map<String, Check> checks = new HashMap<>();
    private final Map<String, FailureWindow> windows = new HashMap<>();

    ServiceChecks(ServiceConfig service) {
        this.specs = service.monitor().checks();
        this.schedule = new CheckSchedule(specs, service.monitor().monitorAfter(), System::nanoTime);
        LocalShell shell = new LocalShell();
        for (CheckSpec spec : specs) {
            checks.put(spec.name(), Checks.of(spec, shell));
            windows.put(spec.name(), new FailureWindow(spec.common().tolerance(), System::nanoTime));
        }
    }

    boolean isEmpty() {
        return specs.isEmpty();
    }

    List<CheckSpec> takeDue(Duration processAge) {
        return schedule.takeDue(processAge);
    }

    CheckResult run(CheckSpec spec, String service, Optional<ProcessInfo> process) {
        CheckTarget target = process.map(p -> CheckTarget.of(service, p)).orElse(CheckTarget.withoutProcess(service));
        return RUNNER.run(spec, checks.get(spec.name()), target);
    }

    FailureWindow.Verdict record(CheckSpec spec, CheckResult result) {
        return windows.get(spec.name()).record(result);
    }

    /** A new process: every check waits monitor_after again and forgets old failures. */
    void reset() {
        schedule.reset();
        windows.values().forEach(FailureWindow::reset);
    }
}
