package dev.vigil.check;

import dev.vigil.shell.CommandResult;
import dev.vigil.shell.Shell;
import dev.vigil.shell.ShellQuoting;
import java.util.ArrayList;
import java.util.List;

/**
 * A command that says whether the service is healthy by its exit status. {@link Shell} has no environment
 * parameter, so {@code env} is passed through {@code env(1)} in front of the command: that works the same on every
 * shell, local or over SSH.
 */
final class ShellCommandCheck implements Check {
    private final CheckSpec.CommandCheck spec;
    private final Shell shell;
    private final List<String> argv;

    ShellCommandCheck(CheckSpec.CommandCheck spec, Shell shell) {
        this.spec = spec;
        this.shell = shell;
        this.argv = withEnv(spec);
    }

    @Override
    public CheckResult run(CheckTarget target) {
        CommandResult result = shell.run(argv, spec.common().timeout());
        String command = "command " + ShellQuoting.join(spec.argv()) + " on " + shell.where();
        if (result.succeeded()) {
            return new CheckResult.Healthy(command + " exited with status 0 in " + Describe.duration(result.took()));
        }
        String output = result.briefOutput();
        return new CheckResult.Unhealthy(
                command + " " + result.status().describe() + (output.isEmpty() ? "" : ": " + output));
    }

    private static List<String> withEnv(CheckSpec.CommandCheck spec) {
        if (spec.env().isEmpty()) {
            return spec.argv();
        }
        List<String> argv = new ArrayList<>();
        argv.add("env");
        spec.env().forEach((k, v) -> argv.add(k + "=" + v));
        argv.addAll(spec.argv());
        return List.copyOf(argv);
    }
}
