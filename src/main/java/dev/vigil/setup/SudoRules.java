package dev.vigil.setup;

import dev.vigil.config.ConfigGrammar;
import dev.vigil.config.DriverSpec;
import dev.vigil.config.ServiceConfig;
import dev.vigil.config.UnitNames;
import dev.vigil.config.VigilConfig;
import dev.vigil.fleet.Inventory;
import dev.vigil.rollout.RolloutSpec;
import dev.vigil.rollout.Step;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The sudoers drop-in {@code vigil setup hosts} installs on a host: exactly the {@code systemctl VERB -- UNIT}
 * commands Vigil's configuration runs there through {@code sudo -n} (its privileged shell), and nothing else.
 *
 * <ul>
 *   <li>a fleet service (driver "systemd", {@code hosts} selecting the host): {@code start} (fleet check --repair,
 *       the daemon's repair), {@code stop} and {@code restart} (the daemon, vigil stop/restart);
 *   <li>a rollout whose {@code hosts} select it: each step's verb on its unit, {@code start} on every unit a step
 *       stops or restarts (the repair after a failed step), and with {@code not_stopping = "kill"} {@code kill
 *       --signal=SIGKILL} on every unit a step stops.
 * </ul>
 *
 * Every command is the full path of systemctl (found on the host with {@code command -v}), the verb, {@code --} and
 * one unit name: never ALL, never a bare systemctl, no wildcard. Queries ({@code is-active}, {@code show}) need no
 * rule: any user may ask systemd.
 */
public final class SudoRules {
    /** First line of every file setup writes: {@code --remove} deletes only a file that starts with it. */
    static final String MARKER = "# Installed by 'vigil setup hosts'.";

    private static final Pattern ARGUMENT = Pattern.compile("[A-Za-z0-9@%+=:,./_\\\\-]+");
    private static final Pattern SYSTEMCTL_PATH = Pattern.compile("/[A-Za-z0-9/_.+-]+");

    private SudoRules() {}

    /** One command the rule allows: {@code systemctl VERB [OPTION] -- UNIT}. */
    public record Command(String verb, List<String> options, String unit) {
        public Command {
            options = List.copyOf(options);
            if (!UnitNames.isValid(unit)) {
                throw new IllegalArgumentException("not a systemd unit name: '" + unit + "'");
            }
        }

        /** The argv Vigil runs after {@code sudo -n --}. */
        public List<String> argv(String systemctl) {
            List<String> argv = new ArrayList<>();
            argv.add(systemctl);
            argv.add(verb);
            argv.addAll(options);
            argv.add("--");
            argv.add(unit);
            return argv;
        }

        /** The command as sudoers reads it: full path, then each argument with sudoers' special characters escaped. */
        String sudoers(String systemctl) {
            return String.join(
                    " ", argv(systemctl).stream().map(SudoRules::escape).toList());
        }

        @Override
        public String toString() {
            return String.join(" ", argv("systemctl"));
        }
    }

    /**
     * What the configuration needs on one host.
     *
     * @param commands the commands to allow, in configuration order, each once
     * @param units the units they name, each once: the read-only check runs {@code systemctl is-active} on each
     * @param uncovered what needs sudo on this host but cannot be allowed by a systemctl rule, as sentences
     */
    public record Derived(List<Command> commands, List<String> units, List<String> uncovered) {
        public Derived {
            commands = List.copyOf(commands);
            units = List.copyOf(units);
            uncovered = List.copyOf(uncovered);
        }
    }

    /** The commands {@code config} runs through sudo on {@code host}. */
    public static Derived forHost(VigilConfig config, Inventory.Host host) {
        Set<Command> commands = new LinkedHashSet<>();
        List<String> uncovered = new ArrayList<>();
        for (ServiceConfig service : config.services()) {
            if (service.hosts().isEmpty() || !service.hosts().get().matches(host.classes())) {
                continue;
            }
            switch (service.driver()) {
                case DriverSpec.Systemd systemd
                when systemd.userManager() ->
                    uncovered.add("service " + service.name() + " runs in a user manager (systemctl --user): its"
                            + " commands need no sudo rule, but the login user must own that manager");
                case DriverSpec.Systemd systemd -> {
                    for (String verb : List.of("start", "stop", "restart")) {
                        commands.add(new Command(verb, List.of(), systemd.unit()));
                    }
                }
                case DriverSpec.Command command ->
                    uncovered.add("service " + service.name() + " uses driver \"command\": its start/stop commands are"
                            + " shell text run through sudo, which no exact sudoers rule can allow safely; write a rule"
                            + " for them by hand or use driver \"systemd\"");
                case DriverSpec.Exec exec -> {}
            }
        }
        for (RolloutSpec rollout : config.rollouts()) {
            if (rollout.hosts().matches(host.classes())) {
                commands.addAll(rollout(rollout));
            }
        }
        Set<String> units = new LinkedHashSet<>();
        commands.forEach(c -> units.add(c.unit()));
        return new Derived(List.copyOf(commands), List.copyOf(units), uncovered);
    }

    private static List<Command> rollout(RolloutSpec rollout) {
        List<Command> commands = new ArrayList<>();
        List<String> repaired = new ArrayList<>();
        List<String> stopped = new ArrayList<>();
        for (Step step : rollout.steps()) {
            switch (step) {
                case Step.Stop stop -> {
                    commands.add(new Command("stop", List.of(), stop.unit()));
                    repaired.add(stop.unit());
                    stopped.add(stop.unit());
                }
                case Step.Restart restart -> {
                    commands.add(new Command("restart", List.of(), restart.unit()));
                    repaired.add(restart.unit());
                }
                case Step.Start start -> commands.add(new Command("start", List.of(), start.unit()));
                default -> {}
            }
        }
        repaired.forEach(u -> commands.add(new Command("start", List.of(), u)));
        if (rollout.notStopping() == RolloutSpec.NotStopping.KILL) {
            stopped.forEach(u -> commands.add(new Command("kill", List.of("--signal=SIGKILL"), u)));
        }
        return commands;
    }

    /** The drop-in's name in /etc/sudoers.d: sudo skips names with a '.', so a '.' in the user name becomes '_'. */
    public static String fileName(String user) {
        requireUser(user);
        return "vigil-" + user.replace('.', '_');
    }

    /** The drop-in's text: a header saying what it is, then one line per command. */
    public static String render(String user, String host, String systemctl, List<Command> commands) {
        requireUser(user);
        if (!SYSTEMCTL_PATH.matcher(systemctl).matches()) {
            throw new IllegalArgumentException("systemctl on " + host + " is '" + systemctl
                    + "', not an absolute path of letters, digits and / _ . + -; check 'command -v systemctl' there");
        }
        if (commands.isEmpty()) {
            throw new IllegalArgumentException("no command to allow: a drop-in without rules is not written");
        }
        StringBuilder text = new StringBuilder(MARKER + "\n");
        text.append("# The systemctl commands Vigil's configuration runs on ")
                .append(host)
                .append(" as ")
                .append(user)
                .append(", and no others.\n")
                .append("# Do not edit: 'vigil setup hosts' rewrites it, 'vigil setup hosts --remove' deletes it.\n");
        for (Command command : commands) {
            text.append(user)
                    .append(" ALL=(root) NOPASSWD: ")
                    .append(command.sudoers(systemctl))
                    .append('\n');
        }
        return text.toString();
    }

    /**
     * One argument as sudoers reads it: a backslash before each of the characters sudoers wants escaped in a command
     * argument ({@code \ , : =}). Anything outside letters, digits and {@code @ % + = : , . / _ \ -} is refused, so
     * no wildcard ({@code * ? [ ]}), blank, quote or control character ever reaches a rule.
     */
    static String escape(String word) {
        if (word.isEmpty() || !ARGUMENT.matcher(word).matches()) {
            throw new IllegalArgumentException("'" + word + "' cannot be part of a sudoers rule: only letters, digits"
                    + " and @ % + = : , . / _ \\ - are allowed (no wildcard, blank, quote or control character)");
        }
        StringBuilder out = new StringBuilder();
        for (char c : word.toCharArray()) {
            if ("\\,:=".indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    static void requireUser(String user) {
        if (!ConfigGrammar.isUserName(user)) {
            throw new IllegalArgumentException("'" + user + "' is not " + ConfigGrammar.USER_RULE);
        }
    }
}
