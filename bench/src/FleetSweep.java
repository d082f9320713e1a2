// The controller of bench/fleet-scale: SshFleet (target/classes) runs one command on every host of SshHosts.java,
// cold (a new SshFleet, so new connections, for each round) and warm (one SshFleet whose sessions are reused), and
// prints median and p99 seconds per 1,000 hosts, the warm/cold ratio, and this JVM's peak threads and RSS.
//
//   java -cp target/classes:DEPENDENCIES FleetSweep.java --dir DIR [--rounds 3] [--fanout 64]
import dev.vigil.config.Origin;
import dev.vigil.fleet.Inventory;
import dev.vigil.fleet.ssh.HostOutcome;
import dev.vigil.fleet.ssh.SshFleet;
import dev.vigil.fleet.ssh.SshSettings;
import dev.vigil.shell.CommandResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

public class FleetSweep {
    static final AtomicInteger peakThreads = new AtomicInteger();

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(".");
        int rounds = 3;
        int fanout = SshSettings.DEFAULT_FANOUT;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--dir" -> dir = Path.of(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--fanout" -> fanout = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        List<Inventory.Host> hosts = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("hosts"))) {
            String[] f = line.split(" ");
            hosts.add(new Inventory.Host(
                    "h" + hosts.size(), f[0], Integer.parseInt(f[1]), Optional.of("bench"), Optional.empty(),
                    Set.of(), new Origin(dir.resolve("hosts"), hosts.size() + 1)));
        }
        SshSettings d = SshSettings.defaults(dir.resolve("known_hosts"));
        SshSettings settings = new SshSettings(
                d.knownHosts(), d.hostKeys(), Duration.ofSeconds(20), Duration.ofSeconds(20), d.commandTimeout(),
                d.keepAlive(), d.idleExpiry(), fanout, d.user(), List.of(dir.resolve("id_ed25519")),
                Optional.empty(), false, false);
        Thread sampler = Thread.ofPlatform().daemon().name("bench-sampler").start(FleetSweep::sample);

        int n = hosts.size();
        // one unmeasured cold sweep first: class loading and JIT, which a long-running daemon pays once
        try (SshFleet fleet = new SshFleet(settings)) {
            sweep(fleet, hosts);
        }
        List<Double> cold = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            try (SshFleet fleet = new SshFleet(settings)) {
                cold.add(sweep(fleet, hosts));
            }
            System.out.printf("cold round %d: %.3f s for %d hosts%n", r + 1, cold.getLast(), n);
        }
        List<Double> warm = new ArrayList<>();
        try (SshFleet fleet = new SshFleet(settings)) {
            sweep(fleet, hosts); // opens the sessions
            for (int r = 0; r < rounds; r++) {
                warm.add(sweep(fleet, hosts));
                System.out.printf("warm round %d: %.3f s for %d hosts%n", r + 1, warm.getLast(), n);
            }
        }
        sampler.interrupt();
        double per = 1000.0 / n;
        double coldMedian = quantile(cold, 0.5) * per, warmMedian = quantile(warm, 0.5) * per;
        System.out.printf("%-5s %6s %6s %14s %14s%n", "sweep", "hosts", "rounds", "median s/1000", "p99 s/1000");
        System.out.printf("%-5s %6d %6d %14.3f %14.3f%n", "cold", n, rounds, coldMedian, quantile(cold, 0.99) * per);
        System.out.printf("%-5s %6d %6d %14.3f %14.3f%n", "warm", n, rounds, warmMedian, quantile(warm, 0.99) * per);
        System.out.printf("warm is %.1fx faster than cold (medians); fanout %d%n", coldMedian / warmMedian, fanout);
        System.out.printf("controller: peak threads %d, %s, %s%n", peakThreads.get(), status("VmHWM"), status("VmRSS"));
        System.out.printf("targets: 1,000 hosts cold < 10 s: %.3f s -> %s; warm >= 10x faster: %.1fx -> %s%n",
                coldMedian, coldMedian < 10 ? "met" : "MISSED", coldMedian / warmMedian,
                coldMedian / warmMedian >= 10 ? "met" : "MISSED");
    }

    /** Seconds for one command on every host; fails loudly if any host did not answer "active". */
    static double sweep(SshFleet fleet, List<Inventory.Host> hosts) {
        long began = System.nanoTime();
        List<HostOutcome<CommandResult>> outcomes =
                fleet.fanOut(hosts, (host, shell) -> shell.run(List.of("systemctl", "is-active", "x"), Duration.ofSeconds(30)));
        double took = (System.nanoTime() - began) / 1e9;
        long bad = outcomes.stream()
                .filter(o -> o.failed() || !o.value().orElseThrow().succeeded()
                        || !o.value().orElseThrow().stdout().equals("active\n"))
                .count();
        if (bad > 0) {
            HostOutcome<CommandResult> first = outcomes.stream()
                    .filter(o -> o.failed() || !o.value().orElseThrow().succeeded())
                    .findFirst()
                    .orElseThrow();
            throw new IllegalStateException(bad + " hosts failed, first " + first.host().name() + ": "
                    + first.error().orElseGet(() -> first.value().orElseThrow().status().describe()));
        }
        return took;
    }

    static double quantile(List<Double> xs, double q) { // nearest rank
        List<Double> s = xs.stream().sorted().toList();
        return s.get(Math.max(0, (int) Math.ceil(q * s.size()) - 1));
    }

    static void sample() {
        while (!Thread.currentThread().isInterrupted()) {
            String t = status("Threads");
            peakThreads.accumulateAndGet(Integer.parseInt(t.replaceAll("\\D", "")), Math::max);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    static String status(String field) {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith(field + ":"))
                    .map(l -> field + " " + l.substring(field.length() + 1).strip())
                    .findFirst()
                    .orElse(field + " ?");
        } catch (Exception e) {
            return field + " ?";
        }
    }
}
