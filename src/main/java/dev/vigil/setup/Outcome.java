package dev.vigil.setup;

/** What one set-up step came to on one host. */
public enum Outcome {
    /** The step changed something, and it worked. */
    DONE("done"),
    /** Nothing to change: the host already was as the step makes it. */
    ALREADY("already so"),
    /** {@code --dry-run}: what the step would change; nothing was. */
    WOULD("would"),
    /** The step could not be done; the detail says why and what to do. */
    FAILED("failed");

    private final String shown;

    Outcome(String shown) {
        this.shown = shown;
    }

    /** "done", "already so", "would", "failed". */
    public String shown() {
        return shown;
    }
}
