package dev.vigil.rollout;

import dev.vigil.shell.CommandResult;
import dev.vigil.shell.ExitStatus;
import dev.vigil.shell.Shell;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a rollout runs on one host, as argv lists (never pasted shell text, but for a configured wait-until command):
 * {@code systemctl is-active} for health (one command for all units), {@code systemctl stop|start|restart|kill}
 * through the privileged shell, {@code ss} for established connections.
 */
final class HostCommands {
    static final Duration QUERY_TIMEOUT = Duration.ofSeconds(30);

    private final String host;
    private final Shell shell;

    HostCommands(String host, Shell shell) {
        this.host = host;
        this.shell = shell;
    }

    String host() {
        return host;
    }

    /** All of {@code units} active, asked in one {@code systemctl is-active}. */
    HostHealth health(List<String> units) {
        List<String> argv = new ArrayList<>(List.of("systemctl", "is-active", "--"));
        argv.addAll(units);
        CommandResult r = shell.run(argv, QUERY_TIMEOUT);
        if (r.status() instanceof ExitStatus.Unreachable(String reason)) {
            return new HostHealth(host, false, false, "unreachable: " + reason);
        }
        List<String> states = r.stdout().strip().lines().toList();
        if (states.size() != units.size()) {
            return new HostHealth(
                    host, false, true, "systemctl is-active " + r.status().describe() + ": " + r.briefOutput());
        }
        List<String> parts = new ArrayList<>();
        boolean all = true;
        for (int i = 0; i < units.size(); i++) {
            parts.add(units.get(i) + " " + states.get(i));
            all &= states.get(i).equals("active");
        }
        return new HostHealth(host, all, true, String.join(", ", parts));
    }

    /** {@code systemctl VERB -- UNIT}, privileged (sudo -n with [ssh] sudo = true). */
    CommandResult systemctl(String verb, String unit, Duration timeout) {
        return shell.privileged().run(List.of("systemctl", verb, "--", unit), timeout);
    }

    /** {@code systemctl kill --signal=SIGKILL -- UNIT}: the kill step for a unit that will not stop. */
    CommandResult kill(String unit) {
        return shell.privileged().run(List.of("systemctl", "kill", "--signal=SIGKILL", "--", unit), QUERY_TIMEOUT);
    }

    /** The unit's ActiveState ("active", "inactive", "deactivating", "failed"...), or the error. */
    String activeState(String unit) {
        CommandResult r = shell.run(List.of("systemctl", "is-active", "--", unit), QUERY_TIMEOUT);
        return r.status() instanceof ExitStatus.Unreachable
                ? "unknown"
                : r.stdout().strip();
    }

    /**
     * Whether the unit's last stop timed out ({@code Result=timeout}): a unit can end "failed" with its processes
     * still running when systemd may not SIGKILL them, and that is not a stop.
     */
    boolean stopTimedOut(String unit) {
        CommandResult r =
                shell.run(List.of("systemctl", "show", "--property=Result", "--value", "--", unit), QUERY_TIMEOUT);
        return r.succeeded() && r.stdout().strip().equals("timeout");
    }

    /**
     * Whether processes of the unit are still running although it is not active: what an xrootd that ignored
     * SIGKILL leaves (systemd then fails the restart's start with Result=resources, not timeout). TasksCurrent says
     * so where task accounting works; else the unit's cgroup is read (cgroup v2, or the hybrid and v1 layouts).
     */
    boolean processesLeft(String unit) {
        CommandResult tasks = shell.run(
                List.of("systemctl", "show", "--property=TasksCurrent", "--value", "--", unit), QUERY_TIMEOUT);
        String count = tasks.stdout().strip();
        if (tasks.succeeded() && count.matches("[0-9]{1,9}")) {
            return Integer.parseInt(count) > 0;
        }
        CommandResult group = shell.run(
                List.of("systemctl", "show", "--property=ControlGroup", "--value", "--", unit), QUERY_TIMEOUT);
        String path = group.stdout().strip();
        if (!group.succeeded() || !path.startsWith("/") || path.contains("..") || !path.matches("[\\w@.:/\\\\-]+")) {
            return false;
        }
        List<String> argv = new java.util.ArrayList<>(List.of("cat", "--"));
        for (String mount : List.of("/sys/fs/cgroup", "/sys/fs/cgroup/unified", "/sys/fs/cgroup/systemd")) {
            argv.add(mount + path + "/cgroup.procs");
        }
        // the layouts that do not exist make cat exit 1; what it read from the one that does is what counts
        return shell.run(argv, QUERY_TIMEOUT).stdout().lines().anyMatch(l -> !l.isBlank());
    }

    /** How many TCP connections on local {@code port} are established, or -1 when that cannot be read. */
    int established(int port) {
        CommandResult r =
                shell.run(List.of("ss", "-Htn", "state", "established", "( sport = :" + port + " )"), QUERY_TIMEOUT);
        return r.succeeded()
                ? (int) r.stdout().lines().filter(l -> !l.isBlank()).count()
                : -1;
    }

    /** Runs {@code command} by the host's shell. */
    CommandResult command(String command, Duration timeout) {
        return shell.run(List.of("sh", "-c", command), timeout);
    }

    /**
     * Empty when this manager's (redirector's) cmsd says the server logged in again: in its log, the last line
     * saying that the server ({@code ...@NAME:PORT}) logged in or out says "logged in". The server's cmsd was
     * stopped before, which the manager logs as "logged out" at once, so that line is a new subscription.
     * ({@code xrdmapc --list all} was tried first: it hangs without a terminal on XRootD 5.5.)
     *
     * @param names the server's name, address and resolved addresses
     * @param log the manager cmsd's log file, e.g. /var/log/xrootd/cluster/cmsd.log
     */
    java.util.Optional<String> notListing(java.util.Collection<String> names, String log) {
        CommandResult r = shell.run(List.of("tail", "-n", "5000", log), QUERY_TIMEOUT);
        if (!r.succeeded()) {
            return java.util.Optional.of(
                    "reading " + log + " on " + host + " " + r.status().describe() + ": " + r.briefOutput());
        }
        java.util.Optional<String> last = r.stdout()
                .lines()
                .filter(l -> l.contains(" logged in") || l.contains(" logged out"))
                .filter(l -> names.stream().anyMatch(n -> l.contains("@" + n + ":") || l.contains("@" + n + " ")))
                .reduce((a, b) -> b);
        return last.filter(l -> l.contains(" logged in")).isPresent()
                ? java.util.Optional.empty()
                : java.util.Optional.of(host + "'s cmsd log " + log + " says: "
                        + last.map(String::strip).orElse("nothing about it"));
    }
}
