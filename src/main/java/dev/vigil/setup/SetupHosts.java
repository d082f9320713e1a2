package dev.vigil.setup;

import dev.vigil.config.VigilConfig;
import dev.vigil.fleet.ClassExpression;
import dev.vigil.fleet.Fanout;
import dev.vigil.fleet.Inventory;
import dev.vigil.fleet.ssh.HostKeyProbe;
import dev.vigil.fleet.ssh.SshFleet;
import dev.vigil.fleet.ssh.SshSettings;
import dev.vigil.shell.Shell;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code vigil setup hosts}: provisions every selected host for Vigil, or ({@code --remove}) takes away what it
 * added. In order: Vigil's key pair on this machine; each host's key, shown and recorded only once confirmed (one host
 * after the other, since a person may be asked); then on the hosts in parallel, logged in as the admin: the service
 * user, the sudo rule, the authorized key, and a login as the service user that proves the rule; last, the
 * configured alert endpoints. Each step reads first and changes only what differs.
 */
public final class SetupHosts {
    static final String CONTROLLER = "controller";

    /** Asks a person a yes/no question; true for yes. */
    @FunctionalInterface
    public interface Confirmer {
        boolean confirm(String question);
    }

    /**
     * What to do.
     *
     * @param hosts which hosts of the inventory
     * @param adminUser the account setup logs in as (root; another user's commands go through sudo -n)
     * @param adminKey its private key; empty: ~/.ssh/id_ed25519, id_ecdsa, id_rsa
     * @param from the controller's address as the hosts see it, for from= (empty: $SSH_CLIENT of the admin session)
     * @param confirmer asks about new host keys; empty when no one can be asked (no terminal)
     */
    public record Request(
            VigilConfig config,
            ClassExpression hosts,
            boolean dryRun,
            boolean acceptNew,
            boolean remove,
            String adminUser,
            Optional<Path> adminKey,
            Optional<String> from,
            List<URI> pushgateways,
            Optional<Confirmer> confirmer) {
        public Request {
            pushgateways = List.copyOf(pushgateways);
            SudoRules.requireUser(adminUser);
            from.ifPresent(HostSetup::checkAddress);
        }
    }

    private final Request request;
    private final SshSettings ssh;
    private final List<StepResult> steps = new ArrayList<>();

    private SetupHosts(Request request) {
        this.request = request;
        this.ssh = request.config().settings().ssh();
    }

    public static SetupReport run(Request request) {
        return new SetupHosts(request).run();
    }

    private void controller(String step, Outcome outcome, String detail) {
        steps.add(new StepResult(CONTROLLER, step, outcome, detail));
    }

    private SetupReport run() {
        List<Inventory.Host> hosts = request.config().inventory().select(request.hosts());
        if (hosts.isEmpty()) {
            controller(
                    "hosts",
                    Outcome.FAILED,
                    "no host of the inventory is selected by '" + request.hosts() + "'; list them with 'vigil hosts'");
            return report();
        }
        Map<Inventory.Host, String> users = users(hosts);
        if (users.isEmpty()) {
            return report();
        }
        Map<Path, Optional<ServiceKey.Pair>> keys = keyPairs(hosts);
        if (keys.values().stream().anyMatch(k -> k == null)) {
            return report();
        }
        if (!request.remove()) {
            checkSudoSetting(hosts);
        }
        Path trustedForDryRun = null;
        try {
            List<String> probedLines = new ArrayList<>();
            List<Inventory.Host> reachable = hostKeys(hosts, probedLines);
            List<Path> knownHosts = new ArrayList<>(ssh.knownHosts());
            if (!probedLines.isEmpty()) {
                // dry run: keys shown but not recorded are trusted by this run's sessions only
                trustedForDryRun = Files.createTempFile("vigil-setup-known-hosts", "");
                Files.writeString(trustedForDryRun, String.join("\n", probedLines) + "\n", StandardCharsets.UTF_8);
                knownHosts.add(trustedForDryRun);
            }
            if (!reachable.isEmpty()) {
                onHosts(reachable, users, keys, knownHosts);
            }
        } catch (IOException e) {
            controller("host keys", Outcome.FAILED, "cannot write a temporary known_hosts file: " + e.getMessage());
        } finally {
            if (trustedForDryRun != null) {
                try {
                    Files.deleteIfExists(trustedForDryRun);
                } catch (IOException e) {
                    // a temporary file of public keys: harmless if left
                }
            }
        }
        if (!request.remove()) {
            steps.addAll(Endpoints.check(request.config().settings().alerts(), request.pushgateways()));
        }
        return report();
    }

    private SetupReport report() {
        return new SetupReport(steps, request.dryRun(), request.remove());
    }

    /** The service user of each host; empty (with a failed step) when one is missing or not a user name. */
    private Map<Inventory.Host, String> users(List<Inventory.Host> hosts) {
        Map<Inventory.Host, String> users = new LinkedHashMap<>();
        for (Inventory.Host host : hosts) {
            Optional<String> user = HostSetup.userFor(request.config(), host);
            if (user.isEmpty()) {
                controller(
                        "config",
                        Outcome.FAILED,
                        "no service user for " + host.name() + ": set user in [ssh] of "
                                + request.config().source() + " (e.g. user = \"vigil\"), the account setup creates");
                return Map.of();
            }
            if (user.get().equals("root") || user.get().equals(request.adminUser())) {
                controller(
                        "config",
                        Outcome.FAILED,
                        "the service user of " + host.name() + " is " + user.get()
                                + ", the admin: Vigil must log in as an account of its own; set [ssh] user in "
                                + request.config().source());
                return Map.of();
            }
            users.put(host, user.get());
        }
        return users;
    }

    private Path keyFile(Inventory.Host host) {
        return host.key()
                .orElseGet(() -> ssh.keys().isEmpty() ? null : ssh.keys().getFirst());
    }

    /**
     * Vigil's key pair(s): read, or generated when missing (not for --remove or --dry-run). A null value means a
     * failed step; an empty one a pair not generated yet (dry run) or missing (remove).
     */
    private Map<Path, Optional<ServiceKey.Pair>> keyPairs(List<Inventory.Host> hosts) {
        Set<Path> files = new LinkedHashSet<>();
        for (Inventory.Host host : hosts) {
            Path file = keyFile(host);
            if (file == null) {
                controller(
                        "key pair",
                        Outcome.FAILED,
                        "no key for Vigil: set keys in [ssh] of "
                                + request.config().source() + ", e.g. keys = [\""
                                + request.config().source().toAbsolutePath().getParent()
                                + "/id_ed25519\"]; setup generates the pair");
                Map<Path, Optional<ServiceKey.Pair>> failed = new LinkedHashMap<>();
                failed.put(Path.of(""), null);
                return failed;
            }
            files.add(file);
        }
        Map<Path, Optional<ServiceKey.Pair>> pairs = new LinkedHashMap<>();
        for (Path file : files) {
            try {
                if (ServiceKey.exists(file)) {
                    ServiceKey.Pair pair = ServiceKey.read(file);
                    controller("key pair", Outcome.ALREADY, file + " (" + pair.fingerprint() + ")");
                    pairs.put(file, Optional.of(pair));
                } else if (request.remove()) {
                    controller("key pair", Outcome.ALREADY, "no " + file + ": no line of it can be on the hosts");
                    pairs.put(file, Optional.empty());
                } else if (request.dryRun()) {
                    controller("key pair", Outcome.WOULD, "generate an ed25519 key pair " + file + " (0600) and .pub");
                    pairs.put(file, Optional.empty());
                } else {
                    ServiceKey.Pair pair = ServiceKey.generate(file, "vigil@" + localName());
                    controller(
                            "key pair",
                            Outcome.DONE,
                            "generated ed25519 key pair " + file + " (0600) and " + file + ".pub: "
                                    + pair.fingerprint());
                    pairs.put(file, Optional.of(pair));
                }
            } catch (IOException e) {
                controller("key pair", Outcome.FAILED, e.getMessage());
                pairs.put(file, null);
            }
        }
        return pairs;
    }

    private static String localName() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name.matches("[A-Za-z0-9._-]{1,64}") ? name : "controller";
        } catch (IOException e) {
            return "controller";
        }
    }

    /** [ssh] sudo = false: the rules would be installed but Vigil would not use them. */
    private void checkSudoSetting(List<Inventory.Host> hosts) {
        if (ssh.sudo()) {
            return;
        }
        boolean needed = hosts.stream()
                .anyMatch(
                        h -> !SudoRules.forHost(request.config(), h).commands().isEmpty());
        if (needed) {
            controller(
                    "config",
                    Outcome.FAILED,
                    "[ssh] sudo = false in " + request.config().source() + ": Vigil would"
                            + " run systemctl start/stop/restart as the service user without sudo, which systemd refuses; set"
                            + " sudo = true");
        }
    }

    /** Each host's key, one host after the other; the hosts whose key is now trusted. */
    private List<Inventory.Host> hostKeys(List<Inventory.Host> hosts, List<String> probedLines) {
        List<Inventory.Host> trusted = new ArrayList<>();
        try (HostKeyProbe probe = new HostKeyProbe(ssh)) {
            for (Inventory.Host host : hosts) {
                if (hostKey(probe, host, probedLines)) {
                    trusted.add(host);
                }
            }
        }
        return trusted;
    }

    private boolean hostKey(HostKeyProbe probe, Inventory.Host host, List<String> probedLines) {
        String step = "host key";
        HostKeyProbe.Offered offered;
        try {
            offered = probe.probe(host);
        } catch (IOException e) {
            steps.add(new StepResult(host.name(), step, Outcome.FAILED, e.getMessage()));
            return false;
        }
        String key = offered.type() + " " + offered.fingerprint();
        switch (offered.standing()) {
            case KNOWN -> {
                steps.add(new StepResult(host.name(), step, Outcome.ALREADY, key + " is recorded"));
                return true;
            }
            case CHANGED -> {
                steps.add(new StepResult(
                        host.name(), step, Outcome.FAILED, offered.refusal().orElse(key)));
                return false;
            }
            case UNKNOWN -> {}
        }
        String where = host.name() + " (" + host.address() + ":" + host.port() + ")";
        if (request.dryRun()) {
            probedLines.add(offered.knownHostsLine());
            steps.add(new StepResult(
                    host.name(),
                    step,
                    Outcome.WOULD,
                    "record " + key + " in " + probe.recordsIn() + (request.acceptNew() ? "" : " once confirmed")));
            return true;
        }
        boolean confirmed = request.acceptNew();
        if (!confirmed && request.confirmer().isPresent()) {
            confirmed = request.confirmer()
                    .get()
                    .confirm(where + " offers host key " + key + ". Check it on the host"
                            + " (ssh-keygen -lf /etc/ssh/ssh_host_" + keyFileType(offered.type())
                            + "_key.pub). Record it in "
                            + probe.recordsIn() + "?");
            if (!confirmed) {
                steps.add(new StepResult(
                        host.name(), step, Outcome.FAILED, key + " not confirmed: not recorded, host" + " left alone"));
                return false;
            }
        }
        if (!confirmed) {
            steps.add(new StepResult(
                    host.name(),
                    step,
                    Outcome.FAILED,
                    where + " offers " + key + ", which "
                            + probe.files() + " do not record. Check it on the host (ssh-keygen -lf /etc/ssh/ssh_host_"
                            + keyFileType(offered.type())
                            + "_key.pub), then run again on a terminal to confirm it, or with"
                            + " --accept-new to record every new host's key"));
            return false;
        }
        try {
            probe.record(host, offered.fingerprint());
        } catch (IOException e) {
            steps.add(new StepResult(host.name(), step, Outcome.FAILED, e.getMessage()));
            return false;
        }
        steps.add(new StepResult(host.name(), step, Outcome.DONE, "recorded " + key + " in " + probe.recordsIn()));
        return true;
    }

    private static String keyFileType(String type) {
        return type.startsWith("ecdsa") ? "ecdsa" : type.startsWith("ssh-") ? type.substring(4) : type;
    }

    /** The admin's view of the hosts: the same addresses, the admin's account and key, strict host keys. */
    private SshSettings adminSettings(List<Path> knownHosts) {
        return settings(
                knownHosts,
                Optional.of(request.adminUser()),
                request.adminKey().map(List::of).orElse(List.of()),
                Optional.empty(),
                !request.adminUser().equals("root"));
    }

    /** Vigil's own view, host keys strictly checked whatever host_keys says. */
    private SshSettings serviceSettings(List<Path> knownHosts) {
        return settings(knownHosts, ssh.user(), ssh.keys(), ssh.passphraseFile(), false);
    }

    /** The configuration's timeouts and fan-out with these known_hosts, login and keys; no agent. */
    private SshSettings settings(
            List<Path> knownHosts, Optional<String> user, List<Path> keys, Optional<Path> passphrase, boolean sudo) {
        return new SshSettings(
                knownHosts,
                SshSettings.HostKeyPolicy.STRICT,
                ssh.connectTimeout(),
                ssh.authTimeout(),
                ssh.commandTimeout(),
                ssh.keepAlive(),
                ssh.idleExpiry(),
                ssh.fanout(),
                user,
                keys,
                passphrase,
                false,
                sudo);
    }

    private void onHosts(
            List<Inventory.Host> hosts,
            Map<Inventory.Host, String> users,
            Map<Path, Optional<ServiceKey.Pair>> keys,
            List<Path> knownHosts) {
        try (SshFleet admin = new SshFleet(adminSettings(knownHosts));
                SshFleet service = new SshFleet(serviceSettings(knownHosts))) {
            List<List<StepResult>> perHost = Fanout.map(hosts, ssh.fanout(), host -> {
                Inventory.Host asAdmin = new Inventory.Host(
                        host.name(),
                        host.address(),
                        host.port(),
                        Optional.of(request.adminUser()),
                        request.adminKey(),
                        host.classes(),
                        host.origin());
                Shell adminShell = admin.shell(asAdmin);
                HostSetup setup =
                        new HostSetup(host, users.get(host), adminShell, adminShell.privileged(), request.dryRun());
                Optional<ServiceKey.Pair> key = keys.get(keyFile(host));
                try {
                    onHost(setup, host, service, key);
                } catch (RuntimeException e) {
                    return append(setup.steps(), new StepResult(host.name(), "setup", Outcome.FAILED, e.toString()));
                }
                return setup.steps();
            });
            perHost.forEach(steps::addAll);
        }
    }

    private static List<StepResult> append(List<StepResult> list, StepResult last) {
        List<StepResult> all = new ArrayList<>(list);
        all.add(last);
        return all;
    }

    private void onHost(HostSetup setup, Inventory.Host host, SshFleet service, Optional<ServiceKey.Pair> key) {
        Optional<HostSetup.Facts> facts = setup.adminLogin(request.adminUser(), request.from());
        if (facts.isEmpty()) {
            return;
        }
        if (request.remove()) {
            setup.remove(key);
            return;
        }
        SudoRules.Derived derived = SudoRules.forHost(request.config(), host);
        Optional<String> home = setup.serviceUser();
        if (home.isEmpty()) {
            return;
        }
        boolean rule = setup.sudoRule(derived, facts.get().systemctl());
        boolean authorized = setup.authorizedKey(home.get(), key, facts.get().clientAddress());
        if (!rule || !authorized) {
            return;
        }
        boolean changesPending = setup.steps().stream().anyMatch(s -> s.outcome() == Outcome.WOULD);
        if (changesPending) {
            setup.wouldVerify();
            return;
        }
        setup.verify(service.shell(host), derived, facts.get().systemctl());
    }
}
