package dev.vigil.setup;

import java.util.List;

/** Every step of a {@code vigil setup hosts} run, in order: the controller's, each host's, then the endpoints. */
public record SetupReport(List<StepResult> steps, boolean dryRun, boolean remove) {
    public SetupReport {
        steps = List.copyOf(steps);
    }

    /** Whether every step passed (done, already so, or would). */
    public boolean ok() {
        return steps.stream().noneMatch(StepResult::failed);
    }

    public List<StepResult> failures() {
        return steps.stream().filter(StepResult::failed).toList();
    }

    public long count(Outcome outcome) {
        return steps.stream().filter(s -> s.outcome() == outcome).count();
    }
}
