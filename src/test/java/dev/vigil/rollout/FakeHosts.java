package dev.vigil.rollout;

import dev.vigil.fleet.HostShells;
import dev.vigil.fleet.Inventory;
import dev.vigil.shell.CommandResult;
import dev.vigil.shell.ExitStatus;
import dev.vigil.shell.Shell;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hosts with systemd units as far as a rollout sees them: {@code systemctl is-active|stop|start|restart|kill} change
 * and report a unit's state, {@code ss} reports no connections. Every command is recorded, in order, with its host.
 */
final class FakeHosts implements HostShells {
    /** Every command, as "HOST: argv". */
    final List<String> log = Collections.synchronizedList(new ArrayList<>());

    private final Map<String, Map<String, String>> units = new ConcurrentHashMap<>();
    /** "HOST UNIT" pairs whose start fails. */
    final Set<String> failingStarts = ConcurrentHashMap.newKeySet();
    /** "HOST UNIT" pairs that do not stop. */
    final Set<String> stuck = ConcurrentHashMap.newKeySet();
    /** "HOST UNIT" pairs whose stop (also in a restart) times out and leaves the unit failed, processes running. */
    final Set<String> timedOut = ConcurrentHashMap.newKeySet();
    /** Hosts that cannot be reached. */
    final Set<String> unreachable = ConcurrentHashMap.newKeySet();
    /** "HOST UNIT": its processes survive a stop (even SIGKILL), so a restart's start fails (Result=resources). */
    final Set<String> leftBehind = ConcurrentHashMap.newKeySet();

    FakeHosts(List<String> hosts, List<String> unitNames) {
        for (String host : hosts) {
            Map<String, String> states = new ConcurrentHashMap<>();
            unitNames.forEach(u -> states.put(u, "active"));
            units.put(host, states);
        }
    }

    void set(String host, String unit, String state) {
        units.get(host).put(unit, state);
    }

    String state(String host, String unit) {
        return units.get(host).get(unit);
    }

    /** The commands that changed something on {@code host}, as "verb unit". */
    List<String> actions(String host) {
        return List.copyOf(log).stream()
                .filter(l -> l.startsWith(host + ": systemctl ") && !l.contains(" is-active ") && !l.contains(" show "))
                .map(l -> l.substring((host + ": systemctl ").length()).replace(" -- ", " "))
                .toList();
    }

    @Override
    public Shell shell(Inventory.Host host) {
        return new Shell() {
            @Override
            public CommandResult run(List<String> argv, Duration timeout) {
                return FakeHosts.this.run(host.name(), argv);
            }

            @Override
            public String where() {
                return host.name();
            }
        };
    }

    @Override
    public int fanout() {
        return 8;
    }

    private CommandResult run(String host, List<String> argv) {
        log.add(host + ": " + String.join(" ", argv));
        if (unreachable.contains(host)) {
            return result(new ExitStatus.Unreachable("connect timed out"), "");
        }
        Map<String, String> states = units.get(host);
        if (argv.getFirst().equals("ss")) {
            return result(new ExitStatus.Exited(0), "");
        }
        if (!argv.getFirst().equals("systemctl")) {
            return result(new ExitStatus.Exited(0), "");
        }
        String verb = argv.get(1);
        List<String> names = argv.subList(argv.indexOf("--") + 1, argv.size());
        switch (verb) {
            case "is-active" -> {
                List<String> out = names.stream()
                        .map(u -> states.getOrDefault(u, "inactive"))
                        .toList();
                boolean all = out.stream().allMatch("active"::equals);
                return result(new ExitStatus.Exited(all ? 0 : 3), String.join("\n", out) + "\n");
            }
            case "stop" -> {
                String unit = names.getFirst();
                if (stuck.contains(host + " " + unit)) {
                    states.put(unit, "deactivating");
                    return result(new ExitStatus.TimedOut(Duration.ofSeconds(1)), "");
                }
                if (timedOut.contains(host + " " + unit)) {
                    states.put(unit, "failed");
                    return result(new ExitStatus.Exited(0), "");
                }
                states.put(unit, "inactive");
            }
            case "kill" -> states.put(names.getFirst(), "inactive");
            case "show" -> {
                // --property=Result or --property=TasksCurrent, with --value
                String unit = names.getFirst();
                if (argv.contains("--property=TasksCurrent")) {
                    return result(
                            new ExitStatus.Exited(0), (leftBehind.contains(host + " " + unit) ? "1" : "0") + "\n");
                }
                return result(
                        new ExitStatus.Exited(0),
                        (timedOut.contains(host + " " + unit) ? "timeout" : "success") + "\n");
            }
            case "start", "restart" -> {
                String unit = names.getFirst();
                if (failingStarts.contains(host + " " + unit)
                        || timedOut.contains(host + " " + unit)
                        || leftBehind.contains(host + " " + unit)) {
                    states.put(unit, "failed");
                    return result(new ExitStatus.Exited(1), "");
                }
                states.put(unit, "active");
            }
            default -> {
                return result(new ExitStatus.Exited(1), "");
            }
        }
        return result(new ExitStatus.Exited(0), "");
    }

    private static CommandResult result(ExitStatus status, String out) {
        return new CommandResult(status, out, "", Duration.ZERO);
    }
}
