package dev.vigil.setup;

import dev.vigil.config.VigilConfig;
import dev.vigil.fleet.Inventory;
import dev.vigil.shell.CommandResult;
import dev.vigil.shell.Shell;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The steps on one host, through an admin shell (root, or sudo for a non-root admin): the service user, the sudo
 * rule, the authorized key, then a login as the service user that proves the rule; or, for {@code --remove}, the
 * same things taken away. Each step first reads what is there, so a second run finds everything "already so".
 */
final class HostSetup {
    /** The comment (GECOS) of a user setup created: {@code --remove} deletes only a system user that has it. */
    static final String USER_MARKER = "Vigil service account created by vigil setup";

    /** sshd runs each command through the login shell: a nologin shell would refuse them all. */
    static final String SHELL = "/bin/sh";

    static final String KEY_OPTIONS = "no-port-forwarding,no-agent-forwarding,no-X11-forwarding,no-pty,no-user-rc";
    static final String SUDOERS_DIR = "/etc/sudoers.d";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern ADDRESS = Pattern.compile("[0-9A-Fa-f.:]{2,45}(?:/[0-9]{1,3})?");

    private final Inventory.Host host;
    private final String user;
    private final Shell root;
    private final Shell asAdmin;
    private final boolean dryRun;
    private final List<StepResult> steps = new ArrayList<>();

    /** What the host told the admin session. */
    record Facts(String systemctl, Optional<String> clientAddress) {}

    /** The service user as the password database has it. */
    record Account(String name, int uid, String comment, String home, String shell) {
        boolean setupMade() {
            return comment.equals(USER_MARKER);
        }
    }

    /**
     * @param asAdmin the admin login's own shell (for $SSH_CLIENT, which sudo drops)
     * @param root the same, through sudo when the admin is not root
     */
    HostSetup(Inventory.Host host, String user, Shell asAdmin, Shell root, boolean dryRun) {
        SudoRules.requireUser(user);
        this.host = host;
        this.user = user;
        this.asAdmin = asAdmin;
        this.root = root;
        this.dryRun = dryRun;
    }

    List<StepResult> steps() {
        return List.copyOf(steps);
    }

    private void add(String step, Outcome outcome, String detail) {
        steps.add(new StepResult(host.name(), step, outcome, detail));
    }

    private CommandResult run(Shell shell, String script, String... args) {
        return shell.run(RemoteScripts.argv(script, args), TIMEOUT);
    }

    private static String why(CommandResult r) {
        String out = (r.stderr().strip() + " " + r.stdout().strip()).strip();
        return r.status().describe()
                + (out.isEmpty()
                        ? ""
                        : ": " + out.lines().reduce((a, b) -> a + "; " + b).orElse(""));
    }

    /** Logs in as the admin; empty (and a failed step) when that or a needed tool is missing. */
    Optional<Facts> adminLogin(String adminUser, Optional<String> fromOption) {
        CommandResult facts = run(root, RemoteScripts.FACTS);
        if (!facts.succeeded()) {
            add(
                    "admin login",
                    Outcome.FAILED,
                    "as " + adminUser + ": " + why(facts) + "; setup needs an SSH login as root (or a user with sudo)"
                            + " on the host: --admin-user, --admin-key");
            return Optional.empty();
        }
        List<String> lines = facts.stdout().lines().map(String::strip).toList();
        String uid = lines.isEmpty() ? "" : lines.get(0);
        String systemctl = lines.size() > 1 ? lines.get(1) : "";
        String visudo = lines.size() > 2 ? lines.get(2) : "";
        if (!uid.equals("0")) {
            add(
                    "admin login",
                    Outcome.FAILED,
                    "as " + adminUser + " commands run as uid " + uid + ", not root; a"
                            + " non-root admin needs sudo (it is used when --admin-user is not root)");
            return Optional.empty();
        }
        if (!systemctl.startsWith("/")) {
            add(
                    "admin login",
                    Outcome.FAILED,
                    "no systemctl on the host ('command -v systemctl' found none): Vigil"
                            + " drives systemd units there");
            return Optional.empty();
        }
        if (!visudo.startsWith("/")) {
            add(
                    "admin login",
                    Outcome.FAILED,
                    "no visudo on the host: install sudo (apt-get install sudo, dnf"
                            + " install sudo), which the rule needs");
            return Optional.empty();
        }
        Optional<String> address = fromOption;
        if (address.isEmpty()) {
            CommandResult client = run(asAdmin, RemoteScripts.CLIENT_ADDRESS);
            String seen = client.stdout().strip();
            address = client.succeeded() && ADDRESS.matcher(seen).matches() ? Optional.of(seen) : Optional.empty();
        }
        add(
                "admin login",
                Outcome.ALREADY,
                "as " + adminUser + " (root); systemctl is " + systemctl
                        + address.map(a -> "; this controller is " + a + " to it")
                                .orElse(""));
        return Optional.of(new Facts(systemctl, address));
    }

    /** Validates an address given with --from (an IP address or a CIDR block). */
    static String checkAddress(String text) {
        if (!ADDRESS.matcher(text).matches()) {
            throw new IllegalArgumentException("--from is '" + text + "'; expected an IP address or a CIDR block"
                    + " such as 10.0.0.5 or 10.0.0.0/24 (the source address the hosts see from this controller)");
        }
        return text;
    }

    Optional<Account> account() {
        CommandResult r = root.run(List.of("getent", "passwd", "--", user), TIMEOUT);
        if (!r.succeeded()) {
            return Optional.empty();
        }
        String[] f = r.stdout().strip().split(":", -1);
        if (f.length < 7 || !f[0].equals(user)) {
            return Optional.empty();
        }
        return Optional.of(new Account(f[0], Integer.parseInt(f[2]), f[4], f[5], f[6]));
    }

    static String plannedHome(String user) {
        return "/var/lib/" + user;
    }

    /** Creates the service user when missing; the home it has (or will have), empty when the step failed. */
    Optional<String> serviceUser() {
        Optional<Account> existing = account();
        if (existing.isPresent()) {
            Account a = existing.get();
            if (a.shell().endsWith("/nologin")
                    || a.shell().endsWith("/false")
                    || a.shell().isEmpty()) {
                add(
                        "service user",
                        Outcome.FAILED,
                        user + " exists with shell '" + a.shell() + "': sshd runs Vigil's commands through the login"
                                + " shell, so none would run; give it one (usermod -s /bin/sh " + user + ")");
                return Optional.empty();
            }
            add(
                    "service user",
                    Outcome.ALREADY,
                    user + " exists (uid " + a.uid() + ", home " + a.home() + ", shell " + a.shell() + ")"
                            + (a.setupMade() ? "" : "; not created by setup, so --remove will keep it"));
            return Optional.of(a.home());
        }
        String home = plannedHome(user);
        String what = "system user " + user + " (no password; home " + home + " owned by root; shell " + SHELL
                + ", which sshd needs to run commands)";
        if (dryRun) {
            add("service user", Outcome.WOULD, "create " + what);
            return Optional.of(home);
        }
        CommandResult r = run(root, RemoteScripts.CREATE_USER, user, home, USER_MARKER, SHELL);
        if (!r.succeeded()) {
            add("service user", Outcome.FAILED, "creating " + user + ": " + why(r));
            return Optional.empty();
        }
        add("service user", Outcome.DONE, "created " + what + ": " + r.stdout().strip());
        return Optional.of(home);
    }

    String sudoersFile() {
        return SUDOERS_DIR + "/" + SudoRules.fileName(user);
    }

    /** Installs (or confirms, or removes when none is needed) the drop-in; false when the step failed. */
    boolean sudoRule(SudoRules.Derived derived, String systemctl) {
        derived.uncovered().forEach(u -> add("sudo rule", Outcome.FAILED, u));
        String file = sudoersFile();
        CommandResult current = run(root, RemoteScripts.READ_FILE, file);
        boolean exists = current.succeeded();
        if (derived.commands().isEmpty()) {
            if (!exists) {
                add("sudo rule", Outcome.ALREADY, "none needed: Vigil runs no privileged command on this host");
                return true;
            }
            return removeSudoers("none needed now: Vigil runs no privileged command on this host; ");
        }
        String content = SudoRules.render(user, host.name(), systemctl, derived.commands());
        String commands = derived.commands().size() + " commands ("
                + String.join(
                        ", ", derived.commands().stream().map(Object::toString).toList()) + ")";
        if (exists && current.stdout().equals("440 root root\n" + content)) {
            add("sudo rule", Outcome.ALREADY, file + " allows exactly the " + commands);
            return true;
        }
        if (exists && !current.stdout().contains(SudoRules.MARKER)) {
            add(
                    "sudo rule",
                    Outcome.FAILED,
                    file + " exists and was not written by setup; move it away (setup owns that name)");
            return false;
        }
        if (dryRun) {
            add(
                    "sudo rule",
                    Outcome.WOULD,
                    (exists ? "rewrite " : "install ") + file + " allowing the " + commands + ":\n" + content.strip());
            return true;
        }
        CommandResult r = run(root, RemoteScripts.INSTALL_SUDOERS, file, content);
        if (!r.succeeded()) {
            add("sudo rule", Outcome.FAILED, "installing " + file + ": " + why(r));
            return false;
        }
        add(
                "sudo rule",
                Outcome.DONE,
                (exists ? "rewrote " : "installed ") + file + " (0440 root:root, checked with"
                        + " visudo -cf) allowing the " + commands);
        return true;
    }

    private boolean removeSudoers(String why) {
        String file = sudoersFile();
        if (dryRun) {
            add("sudo rule", Outcome.WOULD, why + "remove " + file);
            return true;
        }
        CommandResult r = run(root, RemoteScripts.REMOVE_SUDOERS, file, SudoRules.MARKER);
        String said = r.stdout().strip();
        if (!r.succeeded()) {
            add("sudo rule", Outcome.FAILED, "removing " + file + ": " + why(r));
            return false;
        }
        switch (said) {
            case "removed" -> add("sudo rule", Outcome.DONE, why + "removed " + file);
            case "not-ours" -> add("sudo rule", Outcome.ALREADY, file + " was not written by setup: left as it is");
            default -> add("sudo rule", Outcome.ALREADY, "no " + file);
        }
        return true;
    }

    /** The authorized_keys line for Vigil's key: options, then the public key. */
    static String keyLine(ServiceKey.Pair key, Optional<String> from) {
        return from.map(a -> "from=\"" + a + "\",").orElse("") + KEY_OPTIONS + " " + key.publicLine();
    }

    /** Installs Vigil's public key for the service user; false when the step failed. */
    boolean authorizedKey(String home, Optional<ServiceKey.Pair> key, Optional<String> from) {
        String file = home + "/.ssh/authorized_keys";
        if (key.isEmpty()) {
            add("authorized key", Outcome.WOULD, "install the new key pair's public key in " + file);
            return true;
        }
        String line = keyLine(key.get(), from);
        CommandResult current = run(root, RemoteScripts.READ_AUTHORIZED_KEYS, home);
        List<String> ours = current.succeeded()
                ? current.stdout()
                        .lines()
                        .filter(l -> l.contains(key.get().blob()))
                        .toList()
                : List.of();
        String restriction = from.map(a -> "from=\"" + a + "\"")
                .orElse("no from= restriction: the controller's address is unknown (give it with --from)");
        if (ours.equals(List.of(line))) {
            add(
                    "authorized key",
                    Outcome.ALREADY,
                    file + " has Vigil's key " + key.get().fingerprint() + " (" + restriction + ")");
            return true;
        }
        if (dryRun) {
            add(
                    "authorized key",
                    Outcome.WOULD,
                    "install Vigil's key " + key.get().fingerprint() + " in " + file + " (" + restriction + ", "
                            + KEY_OPTIONS + ")");
            return true;
        }
        CommandResult r =
                run(root, RemoteScripts.INSTALL_KEY, home, line, key.get().blob());
        if (!r.succeeded()) {
            add("authorized key", Outcome.FAILED, "writing " + file + ": " + why(r));
            return false;
        }
        add(
                "authorized key",
                Outcome.DONE,
                (ours.isEmpty() ? "installed" : "replaced") + " Vigil's key "
                        + key.get().fingerprint() + " in " + file + " (" + restriction + ", " + KEY_OPTIONS + ")");
        return true;
    }

    /**
     * Logs in as the service user with Vigil's key (strict host keys) and proves the rule: {@code systemctl
     * is-active} on each unit (the read-only twin), {@code sudo -n -l} on each allowed command (sudo says whether it
     * would run it, and runs nothing), and the same for one forbidden command, which must be refused.
     */
    void verify(Shell service, SudoRules.Derived derived, String systemctl) {
        String step = "login as " + user;
        CommandResult whoami = service.run(List.of("id", "-un"), TIMEOUT);
        if (!whoami.succeeded()) {
            add(step, Outcome.FAILED, why(whoami));
            return;
        }
        if (!whoami.stdout().strip().equals(user)) {
            add(step, Outcome.FAILED, "logged in, but as '" + whoami.stdout().strip() + "', not " + user);
            return;
        }
        List<String> found = new ArrayList<>();
        if (!derived.units().isEmpty()) {
            List<String> argv = new ArrayList<>(List.of("systemctl", "is-active", "--"));
            argv.addAll(derived.units());
            CommandResult states = service.run(argv, TIMEOUT);
            List<String> lines = states.stdout().strip().lines().toList();
            if (lines.size() != derived.units().size()) {
                add(step, Outcome.FAILED, "systemctl is-active " + why(states));
                return;
            }
            for (int i = 0; i < lines.size(); i++) {
                found.add(derived.units().get(i) + " " + lines.get(i));
            }
        }
        List<String> refused = new ArrayList<>();
        for (SudoRules.Command command : derived.commands()) {
            if (!sudoAllows(service, command.argv(systemctl))) {
                refused.add(command.toString());
            }
        }
        if (!refused.isEmpty()) {
            add(
                    step,
                    Outcome.FAILED,
                    "sudo refuses " + String.join(", ", refused) + " to " + user + "; check the rule with: sudo -l -U "
                            + user);
            return;
        }
        List<String> forbidden = List.of(systemctl, "stop", "--", "ssh.service");
        if (sudoAllows(service, forbidden)) {
            add(
                    step,
                    Outcome.FAILED,
                    "sudo allows 'systemctl stop ssh.service' to " + user + ": some rule other than " + sudoersFile()
                            + " gives it more; find it with: sudo -l -U " + user);
            return;
        }
        add(
                step,
                Outcome.ALREADY,
                "logged in with Vigil's key (strict host key checking)"
                        + (found.isEmpty() ? "" : "; " + String.join(", ", found))
                        + (derived.commands().isEmpty()
                                ? "; no sudo rule is needed here; sudo refuses systemctl stop ssh.service"
                                : "; sudo allows the " + derived.commands().size()
                                        + " commands and refuses systemctl stop ssh.service"));
    }

    /** --dry-run with changes pending: the login that would prove them. */
    void wouldVerify() {
        add(
                "login as " + user,
                Outcome.WOULD,
                "log in as " + user + " with Vigil's key and check that sudo allows" + " exactly the rule's commands");
    }

    private static boolean sudoAllows(Shell shell, List<String> command) {
        List<String> argv = new ArrayList<>(List.of("sudo", "-n", "-l", "--"));
        argv.addAll(command);
        return shell.run(argv, TIMEOUT).succeeded();
    }

    /** --remove: the key line, the drop-in, then the user if setup created it. */
    void remove(Optional<ServiceKey.Pair> key) {
        Optional<Account> account = account();
        if (account.isPresent() && key.isPresent()) {
            String home = account.get().home();
            if (dryRun) {
                add(
                        "authorized key",
                        Outcome.WOULD,
                        "remove the line of Vigil's key from " + home + "/.ssh/authorized_keys (if there)");
            } else {
                CommandResult r =
                        run(root, RemoteScripts.REMOVE_KEY, home, key.get().blob());
                String said = r.stdout().strip();
                if (!r.succeeded()) {
                    add("authorized key", Outcome.FAILED, why(r));
                } else if (said.startsWith("removed")) {
                    add(
                            "authorized key",
                            Outcome.DONE,
                            "removed Vigil's key from " + home + "/.ssh/authorized_keys"
                                    + (said.equals("removed-file") ? " (the file, left empty)" : ""));
                } else {
                    add("authorized key", Outcome.ALREADY, "Vigil's key is not in " + home + "/.ssh/authorized_keys");
                }
            }
        } else if (account.isPresent()) {
            add(
                    "authorized key",
                    Outcome.FAILED,
                    "Vigil's private key is missing here, so its line in "
                            + account.get().home() + "/.ssh/authorized_keys cannot be told apart; remove it by hand");
        } else {
            add("authorized key", Outcome.ALREADY, "no user " + user + ", so no key of it");
        }
        removeSudoers("");
        if (account.isEmpty()) {
            add("service user", Outcome.ALREADY, "no user " + user);
        } else if (!account.get().setupMade()) {
            add(
                    "service user",
                    Outcome.ALREADY,
                    user + " was not created by setup (its comment is not '" + USER_MARKER + "'): kept");
        } else if (dryRun) {
            add(
                    "service user",
                    Outcome.WOULD,
                    "delete user " + user + " and its home " + account.get().home());
        } else {
            CommandResult r = run(root, RemoteScripts.REMOVE_USER, user, USER_MARKER);
            String said = r.stdout().strip();
            if (!r.succeeded()) {
                add("service user", Outcome.FAILED, "deleting " + user + ": " + why(r));
            } else if (said.startsWith("removed")) {
                add("service user", Outcome.DONE, "deleted " + user + " and its home" + said.substring(7));
            } else {
                add("service user", Outcome.ALREADY, user + " kept: " + said);
            }
        }
    }

    static Optional<String> userFor(VigilConfig config, Inventory.Host host) {
        return host.user().or(() -> config.settings().ssh().user());
    }
}
