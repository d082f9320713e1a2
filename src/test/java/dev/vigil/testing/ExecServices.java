package dev.vigil.testing;

import dev.vigil.config.DriverSpec;
import dev.vigil.config.IdentitySpec;
import dev.vigil.config.MonitorSpec;
import dev.vigil.config.Origin;
import dev.vigil.config.ServiceConfig;
import dev.vigil.config.SupervisionSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Builds exec-driver service configurations for tests, with the defaults a loader would give. */
public final class ExecServices {
    private final Path stateDir;
    private String name = "svc";
    private List<String> command = List.of("/bin/true");
    private boolean shell;
    private Map<String, String> env = Map.of();
    private boolean inheritEnv = true;
    private Optional<Path> workingDirectory = Optional.empty();
    private boolean killGroup;
    private boolean autopid = true;
    private boolean scan = true;
    private Optional<Pattern> proctitle = Optional.empty();
    private Optional<Path> pidfile = Optional.empty();
    private Duration success = Duration.ofMillis(300);
    private Duration termToKill = Duration.ofSeconds(2);
    private int maxRestarts;

    private MonitorSpec monitor = MonitorSpec.DEFAULTS;
    private SupervisionSpec supervision = SupervisionSpec.DEFAULTS;

    public ExecServices(Path stateDir) {
        this.stateDir = stateDir;
    }

    public ExecServices name(String value) {
        name = value;
        return this;
    }

    public ExecServices command(List<String> value) {
        command = value;
        return this;
    }

    public ExecServices command(Path script, String... args) {
        command = new java.util.ArrayList<>(List.of(script.toString()));
        command.addAll(List.of(args));
        return this;
    }

    public ExecServices shell(String text) {
        shell = true;
        command = List.of(text);
        return this;
    }

    public ExecServices env(Map<String, String> value, boolean inherit) {
        env = value;
        inheritEnv = inherit;
        return this;
    }

    public ExecServices workingDirectory(Path dir) {
        workingDirectory = Optional.of(dir);
        return this;
    }

    public ExecServices killProcessGroup() {
        killGroup = true;
        return this;
    }

    public ExecServices autopid(boolean value) {
        autopid = value;
        return this;
    }

    public ExecServices scan(boolean value) {
        scan = value;
        return this;
    }

    public ExecServices proctitle(String regex) {
        proctitle = Optional.of(Pattern.compile(regex));
        return this;
    }

    public ExecServices pidfile(Path value) {
        pidfile = Optional.of(value);
        return this;
    }

    public ExecServices successWait(Duration value) {
        success = value;
        return this;
    }

    public ExecServices termToKill(Duration value) {
        termToKill = value;
        return this;
    }

    public ExecServices monitor(Duration monitorAfter, List<dev.vigil.check.CheckSpec> checks) {
        monitor = new MonitorSpec(monitorAfter, Optional.empty(), Optional.empty(), 0, checks);
        return this;
    }

    public ExecServices successExitCodes(java.util.Set<Integer> codes) {
        SupervisionSpec d = SupervisionSpec.DEFAULTS;
        supervision = new SupervisionSpec(
                d.confirm(),
                d.confirmInterval(),
                d.backoffFactor(),
                d.backoffMax(),
                d.stableAfter(),
                d.restartWindow(),
                d.giveUpFor(),
                codes,
                d.requires(),
                d.after(),
                d.groups());
        return this;
    }

    public ExecServices requires(String... names) {
        SupervisionSpec d = supervision;
        supervision = new SupervisionSpec(
                d.confirm(),
                d.confirmInterval(),
                d.backoffFactor(),
                d.backoffMax(),
                d.stableAfter(),
                d.restartWindow(),
                d.giveUpFor(),
                d.successExitCodes(),
                List.of(names),
                d.after(),
                d.groups());
        return this;
    }

    public ExecServices maxRestarts(int value) {
        maxRestarts = value;
        return this;
    }

    public Path log() {
        return stateDir.resolve("logs/" + name + ".log");
    }

    public Path defaultPidfile() {
        return pidfile.orElse(stateDir.resolve("pids/" + name + ".pid"));
    }

    public ServiceConfig build() {
        DriverSpec.Exec exec =
                new DriverSpec.Exec(command, shell, log(), log(), env, inheritEnv, workingDirectory, killGroup);
        IdentitySpec identity = new IdentitySpec(Optional.of(defaultPidfile()), autopid, scan, proctitle);
        return new ServiceConfig(
                name,
                new Origin(stateDir.resolve("test.toml"), 1),
                true,
                exec,
                identity,
                true,
                true,
                maxRestarts,
                Duration.ZERO,
                success,
                termToKill,
                List.of(),
                monitor,
                supervision,
                Optional.empty());
    }
}
