package dev.vigil.driver;

import dev.vigil.config.DriverSpec;
import dev.vigil.config.ServiceConfig;
import dev.vigil.shell.CommandResult;
import dev.vigil.shell.Shell;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A systemd unit, controlled through {@code systemctl}. State comes from {@code systemctl show} properties, never
 * from the human text of {@code systemctl status}, and the exit status of every call decides, not its output. A
 * unit that ends up {@code failed} after a start is a failed start (XRootDRestart counted it as started).
 */
public final class SystemdDriver implements Driver {
    private static final List<String> PROPERTIES = List.of(
            "Id", "LoadState", "ActiveState", "SubState", "MainPID", "ExecMainStartTimestamp", "Result", "NRestarts");

    private final ServiceConfig service;
    private final DriverSpec.Systemd spec;
    private final Shell shell;

    public SystemdDriver(ServiceConfig service, Shell shell) {
        this.service = service;
        this.spec = (DriverSpec.Systemd) service.driver();
        this.shell = shell;
    }

    @Override
    public ServiceStatus status() {
        return query();
    }

    @Override
    public ActionResult start() {
        return act("start", ServiceState.RUNNING);
    }

    @Override
    public ActionResult stop() {
        return act("stop", ServiceState.STOPPED);
    }

    @Override
    public ActionResult restart() {
        return act("restart", ServiceState.RUNNING);
    }

    private ActionResult act(String verb, ServiceState wanted) {
        CommandResult result = shell.privileged().run(systemctl(verb, List.of()), spec.timeout());
        if (!result.succeeded()) {
            Optional<String> absent = whyNotRun(result).or(this::systemdMissing);
            if (absent.isPresent()) {
                return new ActionResult(false, absent.get(), status(ServiceState.UNKNOWN, Map.of(), absent.get()));
            }
        }
        ServiceStatus after = query();
        if (!result.succeeded()) {
            String output = result.briefOutput();
            return new ActionResult(
                    false,
                    service.name() + ": systemctl " + verb + " " + spec.unit() + " "
                            + result.status().describe() + (output.isEmpty() ? "" : ": " + output),
                    after);
        }
        boolean reached = wanted == ServiceState.STOPPED
                ? after.state() == ServiceState.STOPPED || after.state() == ServiceState.FAILED
                : after.state() == ServiceState.RUNNING;
        String message = reached
                ? service.name() + ": " + verb + (verb.endsWith("p") ? "ped " : "ed ") + spec.unit()
                        + describePid(after)
                : service.name() + ": systemctl " + verb + " " + spec.unit() + " succeeded but the unit is "
                        + after.state().label() + ": " + after.detail();
        return new ActionResult(reached, message, after);
    }

    private static String describePid(ServiceStatus after) {
        return after.pid().map(pid -> " (pid " + pid + ")").orElse("");
    }

    private ServiceStatus query() {
        List<String> argv = systemctl("show", showOptions());
        CommandResult result = shell.run(argv, spec.timeout());
        if (!result.succeeded()) {
            // Asked only after a failure, so the usual status costs one command: one round trip on a fleet host.
            Optional<String> absent = whyNotRun(result).or(this::systemdMissing);
            if (absent.isPresent()) {
                return status(ServiceState.UNKNOWN, Map.of(), absent.get());
            }
            return status(
                    ServiceState.UNKNOWN,
                    Map.of(),
                    "systemctl show " + spec.unit() + " " + result.status().describe() + ": " + result.briefOutput());
        }
        return fromProperties(parseProperties(result.stdout()));
    }

    /** The status that {@code systemctl show}'s properties of this unit describe. */
    private ServiceStatus fromProperties(Map<String, String> props) {
        String load = props.getOrDefault("LoadState", "");
        if (load.equals("not-found")) {
            return status(ServiceState.UNKNOWN, props, "unit " + spec.unit() + " is not installed on " + shell.where());
        }
        String active = props.getOrDefault("ActiveState", "unknown");
        String sub = props.getOrDefault("SubState", "");
        ServiceState state =
                switch (active) {
                    case "active", "reloading", "refreshing" -> ServiceState.RUNNING;
                    case "activating" -> ServiceState.STARTING;
                    case "deactivating", "inactive" -> ServiceState.STOPPED;
                    case "failed" -> ServiceState.FAILED;
                    default -> ServiceState.UNKNOWN;
                };
        String detail = "unit " + spec.unit() + " is " + active + " (" + sub + ")";
        if (state == ServiceState.FAILED) {
            detail += ", result " + props.getOrDefault("Result", "unknown");
        }
        String restarts = props.getOrDefault("NRestarts", "0");
        if (!restarts.equals("0") && !restarts.isEmpty()) {
            detail += "; systemd restarted it " + restarts + " times";
        }
        return status(state, props, detail);
    }

    /**
     * The status of several units of one host in one {@code systemctl show} (one round trip instead of one per unit:
     * what makes a warm fleet sweep cheap). Every driver must be on the same shell and manager ({@code --user} or
     * not). When the batch cannot be read, each driver is asked on its own, which explains the failure.
     */
    public static List<ServiceStatus> statusAll(List<SystemdDriver> drivers) {
        if (drivers.size() < 2) {
            return drivers.stream().map(SystemdDriver::status).toList();
        }
        SystemdDriver first = drivers.getFirst();
        List<String> argv = new ArrayList<>(first.systemctl("show", showOptions()));
        argv.removeLast(); // the first unit; all of them follow "--"
        drivers.forEach(d -> argv.add(d.spec.unit()));
        java.time.Duration timeout = drivers.stream()
                .map(d -> d.spec.timeout())
                .max(java.time.Duration::compareTo)
                .orElseThrow();
        CommandResult result = first.shell.run(argv, timeout);
        List<String> blocks = List.of(result.stdout().split("\n\n"));
        if (!result.succeeded() || blocks.size() != drivers.size()) {
            return drivers.stream().map(SystemdDriver::status).toList();
        }
        List<ServiceStatus> statuses = new ArrayList<>();
        for (int i = 0; i < drivers.size(); i++) {
            Map<String, String> props = parseProperties(blocks.get(i));
            SystemdDriver driver = drivers.get(i);
            // systemctl prints the blocks in the order asked; the Id property makes sure
            if (!driver.spec.unit().equals(props.get("Id"))) {
                return drivers.stream().map(SystemdDriver::status).toList();
            }
            statuses.add(driver.fromProperties(props));
        }
        return statuses;
    }

    /** Whether {@code other} can be asked in the same {@code systemctl show} as this one. */
    public boolean batchesWith(SystemdDriver other) {
        return other.shell == shell && other.spec.userManager() == spec.userManager();
    }

    private static List<String> showOptions() {
        List<String> options = new ArrayList<>();
        options.add("--timestamp=unix");
        PROPERTIES.forEach(property -> options.add("--property=" + property));
        return options;
    }

    private ServiceStatus status(ServiceState state, Map<String, String> props, String detail) {
        Optional<Long> pid = parseLong(props.get("MainPID")).filter(p -> p > 0);
        Optional<Instant> started =
                pid.isEmpty() ? Optional.empty() : parseUnixTimestamp(props.get("ExecMainStartTimestamp"));
        return new ServiceStatus(service.name(), state, pid, started, spec.unit(), spec.name(), detail);
    }

    /** {@code systemctl [--user] VERB OPTIONS -- UNIT}: the unit comes after "--" so no name is read as an option. */
    private List<String> systemctl(String verb, List<String> options) {
        List<String> argv = new ArrayList<>();
        argv.add("systemctl");
        if (spec.userManager()) {
            argv.add("--user");
        }
        argv.add(verb);
        argv.addAll(options);
        argv.add("--");
        argv.add(spec.unit());
        return argv;
    }

    /**
     * Why a command came to no answer at all (its host unreachable, the command timed out or could not start), so
     * no second command is tried to explain it; empty when systemctl ran and said something.
     */
    private Optional<String> whyNotRun(CommandResult result) {
        return switch (result.status()) {
            case dev.vigil.shell.ExitStatus.Unreachable(String reason) ->
                Optional.of(service.name() + ": " + shell.where() + " is unreachable: " + reason);
            case dev.vigil.shell.ExitStatus.TimedOut t ->
                Optional.of(service.name() + ": systemctl on " + shell.where() + " "
                        + result.status().describe());
            case dev.vigil.shell.ExitStatus.LaunchFailed f ->
                Optional.of(service.name() + ": systemctl on " + shell.where() + " "
                        + result.status().describe());
            default -> Optional.empty();
        };
    }

    /** Empty when systemd manages this host; else why not, in words a person can act on. */
    private Optional<String> systemdMissing() {
        CommandResult probe = shell.run(List.of("test", "-d", "/run/systemd/system"), spec.timeout());
        if (!(probe.status() instanceof dev.vigil.shell.ExitStatus.Exited(int code) && code == 1)) {
            // systemd is there, or the probe itself did not run (timed out, host gone): say nothing it cannot know
            return probe.succeeded()
                    ? Optional.empty()
                    : Optional.of(service.name() + ": cannot tell whether " + shell.where() + " runs systemd: the"
                            + " probe " + probe.status().describe());
        }
        return Optional.of(service.name() + ": driver \"systemd\" needs systemd as the service manager, but "
                + shell.where() + " has no /run/systemd/system; use driver \"exec\" or \"command\" here");
    }

    static Map<String, String> parseProperties(String text) {
        Map<String, String> props = new HashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                props.put(line.substring(0, eq), line.substring(eq + 1).strip());
            }
        }
        return props;
    }

    private static Optional<Long> parseLong(String value) {
        try {
            return value == null ? Optional.empty() : Optional.of(Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** {@code --timestamp=unix} prints "@1700000000"; older systemd prints text, which we do not guess at. */
    static Optional<Instant> parseUnixTimestamp(String value) {
        if (value == null || !value.startsWith("@")) {
            return Optional.empty();
        }
        return parseLong(value.substring(1)).filter(s -> s > 0).map(Instant::ofEpochSecond);
    }
}
