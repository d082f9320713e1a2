package dev.vigil.testfleet;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A running test fleet (testfleet/fleet up), as described by its DIR/fleet.json: real Debian hosts with their own
 * systemd, sshd and XRootD. {@link #exec} and {@link #fault} are the harness's back door (nsenter, as root); tests of
 * Vigil itself talk to the hosts over SSH with {@link #userKey()} and {@link #knownHosts()}.
 */
public final class TestFleet {
    /** Default fleet directory of testfleet/fleet. */
    public static final Path DEFAULT_DIR = Path.of("/run/vigil-testfleet");

    /** fleet.json is snake_case; fields a newer fleet script adds are ignored. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);

    /** One host of the fleet. {@code role} is "manager" (the XRootD redirector) or "server" (a data server). */
    public record Host(String name, String address, int port, String role, String netns, String veth, long systemdPid) {
        public boolean isManager() {
            return "manager".equals(role);
        }
    }

    /** Exit code and combined stdout and stderr of a command. */
    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    /** The faults testfleet/fleet can inject; {@link #RESET} undoes all of them on a host. */
    public enum Fault {
        /** Carrier of the host's veth down: connects time out. */
        CUT("cut"),
        /** Carrier up again. */
        RESTORE("restore"),
        /** sshd stopped (and masked for this boot): connects are refused until {@link #SSHD_START}. */
        SSHD_STOP("sshd-stop"),
        SSHD_START("sshd-start"),
        /** New host keys, sshd restarted; known_hosts is not updated, so strict checking must refuse the host. */
        REKEY("rekey"),
        /** xrootd@cluster ignores SIGTERM: a stop takes TimeoutStopSec (10 s), then SIGKILL; the unit ends failed. */
        XROOTD_IGNORE_TERM("xrootd-ignore-term"),
        /** As above and never SIGKILLed: the stop times out (twice TimeoutStopSec) and the process survives. */
        XROOTD_UNKILLABLE("xrootd-unkillable"),
        /** The xrootd fault drop-ins removed and failed states reset. */
        XROOTD_NORMAL("xrootd-normal"),
        /** Everything undone: link up, original host keys, sshd, xrootd and cmsd running normally. */
        RESET("reset");

        private final String kind;

        Fault(String kind) {
            this.kind = kind;
        }

        /** The KIND argument of {@code testfleet/fleet fault}. */
        public String kind() {
            return kind;
        }
    }

    private record Json(String dir, String knownHosts, String userKey, String adminKey, List<Host> hosts) {}

    private final Json json;
    private final Set<String> faulted = ConcurrentHashMap.newKeySet();

    private TestFleet(Json json) {
        this.json = json;
    }

    /** Reads DIR/fleet.json of a fleet that is up. */
    public static TestFleet load(Path dir) {
        Path file = dir.resolve("fleet.json");
        try {
            return new TestFleet(JSON.readValue(file.toFile(), Json.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the fleet description " + file, e);
        }
    }

    /** testfleet/fleet of this checkout: found from the working directory (Maven runs tests in the project root). */
    public static Path script() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("testfleet/fleet");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(
                "testfleet/fleet not found above " + Path.of("").toAbsolutePath() + " (run tests from the checkout)");
    }

    /** Runs testfleet/fleet with ARGS; the result's output is stdout and stderr together. */
    public static Result fleet(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(script().toString());
        command.addAll(args);
        return run(command, COMMAND_TIMEOUT);
    }

    /** Runs a local command with a bound; a command still running after TIMEOUT is killed and reported as 124. */
    public static Result run(List<String> command, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            Process p = pb.start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    },
                    r -> Thread.ofVirtual().start(r));
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor();
                return new Result(124, out.join() + "\n[killed after " + timeout + "]: " + command);
            }
            return new Result(p.exitValue(), out.join());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        }
    }

    public Path dir() {
        return Path.of(json.dir());
    }

    /** known_hosts with every host's real keys, by address. */
    public Path knownHosts() {
        return Path.of(json.knownHosts());
    }

    /** Private key of the user {@code vigil} on every host (sudo for /usr/bin/systemctl). */
    public Path userKey() {
        return Path.of(json.userKey());
    }

    /** Private key root accepts on every host. */
    public Path adminKey() {
        return Path.of(json.adminKey());
    }

    public List<Host> hosts() {
        return List.copyOf(json.hosts());
    }

    public Host host(String name) {
        return json.hosts().stream()
                .filter(h -> h.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no host " + name + " in the fleet; hosts: "
                        + json.hosts().stream().map(Host::name).toList()));
    }

    /** The XRootD redirector (host 1). */
    public Host manager() {
        return json.hosts().stream().filter(Host::isManager).findFirst().orElseThrow();
    }

    /** The XRootD data servers. */
    public List<Host> dataServers() {
        return json.hosts().stream().filter(h -> !h.isManager()).toList();
    }

    /** Runs CMD as root inside HOST (its namespaces and root filesystem), not over SSH. */
    public Result exec(String host, String... cmd) {
        List<String> args = new ArrayList<>(
                List.of("exec", "--dir", dir().toString(), host(host).name()));
        args.addAll(List.of(cmd));
        return fleet(args);
    }

    /** Injects (or undoes) a fault on HOST; fails if testfleet/fleet does. */
    public void fault(String host, Fault fault) {
        faulted.add(host(host).name());
        Result r = fleet(List.of("fault", "--dir", dir().toString(), host, fault.kind()));
        if (!r.ok()) {
            throw new IllegalStateException(
                    "fault " + fault.kind() + " on " + host + " failed (exit " + r.exitCode() + "):\n" + r.output());
        }
    }

    /** Undoes every fault on each host a fault was injected on through this object since the last call. */
    public void resetFaults() {
        List<String> hosts = List.copyOf(faulted);
        faulted.clear();
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var results = hosts.stream()
                    .map(h -> threads.submit(() -> fleet(List.of("fault", "--dir", dir().toString(), h, "reset"))))
                    .toList();
            for (int i = 0; i < hosts.size(); i++) {
                Result r = results.get(i).get();
                if (!r.ok()) {
                    throw new IllegalStateException("resetting faults on " + hosts.get(i) + " failed:\n" + r.output());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** The host's journal of UNIT (journalctl -u UNIT). */
    public String journal(String host, String unit) {
        Result r =
                fleet(List.of("journal", "--dir", dir().toString(), host(host).name(), unit));
        if (!r.ok()) {
            throw new IllegalStateException("journal of " + unit + " on " + host + " failed:\n" + r.output());
        }
        return r.output();
    }

    /**
     * The part of a Vigil configuration that reaches this fleet: {@code state_dir}, {@code [ssh]} as the user
     * "vigil" with its key and these known_hosts, and a {@code [host.NAME]} per host with classes "xrootd" and
     * "redirector" or "data". Top-level keys must come before it, tables after.
     */
    public String vigilToml(Path stateDir, boolean sudo, java.time.Duration connectTimeout) {
        StringBuilder toml =
                new StringBuilder("""
                state_dir = "%s"

                [ssh]
                known_hosts = "%s"
                user = "vigil"
                keys = ["%s"]
                use_agent = false
                sudo = %s
                connect_timeout = "%ds"

                """.formatted(stateDir, knownHosts(), userKey(), sudo, connectTimeout.toSeconds()));
        for (Host host : hosts()) {
            toml.append("[host.%s]\naddress = \"%s\"\nclasses = [\"xrootd\", \"%s\"]\n\n"
                    .formatted(host.name(), host.address(), host.isManager() ? "redirector" : "data"));
        }
        return toml.toString();
    }

    /**
     * An OpenSSH client command line to HOST as {@code vigil}, strictly checking host keys against
     * {@link #knownHosts()}; REMOTE is the remote command.
     */
    public List<String> sshCommand(Host host, String... remote) {
        return sshCommand(host, new InetSocketAddress(host.address(), host.port()), remote);
    }

    /**
     * As {@link #sshCommand(Host, String...)} but connecting to VIA (a {@link LatencyProxy}, say) while checking
     * HOST's keys (HostKeyAlias).
     */
    public List<String> sshCommand(Host host, InetSocketAddress via, String... remote) {
        List<String> cmd = new ArrayList<>(List.of(
                "ssh",
                "-o",
                "StrictHostKeyChecking=yes",
                "-o",
                "UserKnownHostsFile=" + knownHosts(),
                "-o",
                "GlobalKnownHostsFile=/dev/null",
                "-o",
                "HostKeyAlias=" + host.address(),
                "-o",
                "BatchMode=yes",
                "-o",
                "ConnectTimeout=3",
                "-o",
                "LogLevel=ERROR",
                "-i",
                userKey().toString(),
                "-p",
                Integer.toString(via.getPort()),
                "vigil@" + via.getHostString()));
        cmd.addAll(List.of(remote));
        return cmd;
    }

    /** Runs REMOTE on HOST over SSH as vigil (see {@link #sshCommand}). */
    public Result ssh(Host host, String... remote) {
        return run(sshCommand(host, remote), Duration.ofSeconds(30));
    }
}
