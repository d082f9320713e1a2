package dev.vigil.setup;

import java.util.Objects;

/**
 * One step of {@code vigil setup hosts} on one host (or on this machine: {@code host} "controller", or an endpoint).
 *
 * @param host the host's name, "controller" for steps on this machine, "endpoints" for the endpoint checks
 * @param step what the step is about: "host key", "service user", "sudo rule", ...
 * @param detail what was done, found, or why it failed and what to do
 */
public record StepResult(String host, String step, Outcome outcome, String detail) {
    public StepResult {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(detail, "detail");
    }

    public boolean failed() {
        return outcome == Outcome.FAILED;
    }
}
