package dev.vigil.install;

import java.nio.file.Path;
import java.util.List;

/**
 * What the installer did to the unit file (or, in a dry run, would do), and what the person should run next.
 *
 * @param content the unit file's text as generated
 * @param message one sentence for a person: what happened and, when refused, what to do
 * @param nextSteps empty when refused
 */
public record InstallReport(
        Path file, String content, Action action, boolean dryRun, String message, List<NextStep> nextSteps) {

    /** What happened to the file. */
    public enum Action {
        CREATED("created", "would create"),
        REPLACED("replaced", "would replace"),
        UNCHANGED("unchanged", "unchanged"),
        /** The file exists with other content and --force was not given: nothing written. */
        REFUSED("refused", "would refuse");

        private final String label;
        private final String conditional;

        Action(String label, String conditional) {
            this.label = label;
            this.conditional = conditional;
        }

        /** The word for JSON output: {@code created}, {@code replaced}, {@code unchanged}, {@code refused}. */
        public String label() {
            return label;
        }

        String verb(boolean dryRun) {
            return dryRun ? conditional : label;
        }
    }

    /** A command to run after installing, and why. */
    public record NextStep(String command, String why) {}

    public boolean ok() {
        return action != Action.REFUSED;
    }
}
