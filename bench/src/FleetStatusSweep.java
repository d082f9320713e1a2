import dev.vigil.config.ConfigLoader;
import dev.vigil.config.VigilConfig;
import dev.vigil.driver.ServiceState;
import dev.vigil.fleet.ClassExpression;
import dev.vigil.fleet.FleetReport;
import dev.vigil.fleet.OpenFleet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Times fleet status sweeps inside one JVM, as the daemon does them: "cold" sweeps each open a new fleet (new SSH
 * connections: TCP, key exchange, authentication), "warm" sweeps reuse one fleet's sessions. Prints one line per
 * sweep, "cold MILLIS" or "warm MILLIS", and fails if any service on any host is not running (a sweep that read
 * nothing would be fast and wrong).
 *
 *   java -cp CLASSPATH bench/src/FleetStatusSweep.java CONFIG COLD_ROUNDS WARM_ROUNDS
 */
public final class FleetStatusSweep {
    public static void main(String[] args) throws Exception {
        VigilConfig config = ConfigLoader.load(Path.of(args[0]));
        int coldRounds = Integer.parseInt(args[1]);
        int warmRounds = Integer.parseInt(args[2]);
        ClassExpression any = new ClassExpression.Name("any");
        for (int i = 0; i < coldRounds; i++) {
            try (OpenFleet fleet = OpenFleet.overSsh(config)) {
                long t0 = System.nanoTime();
                List<FleetReport.Host> reports = fleet.control().status(any, List.of());
                report("cold", t0, reports);
            }
        }
        try (OpenFleet fleet = OpenFleet.overSsh(config)) {
            fleet.control().status(any, List.of()); // opens the sessions
            for (int i = 0; i < warmRounds; i++) {
                long t0 = System.nanoTime();
                List<FleetReport.Host> reports = fleet.control().status(any, List.of());
                report("warm", t0, reports);
            }
        }
    }

    private static void report(String kind, long t0, List<FleetReport.Host> reports) {
        double ms = (System.nanoTime() - t0) / 1e6;
        List<String> bad = new ArrayList<>();
        for (FleetReport.Host host : reports) {
            host.unreachable().ifPresent(why -> bad.add(host.host().name() + ": " + why));
            for (FleetReport.Service s : host.services()) {
                if (s.state() != ServiceState.RUNNING) {
                    bad.add(host.host().name() + "/" + s.name() + ": " + s.status().detail());
                }
            }
        }
        if (!bad.isEmpty()) {
            System.err.println("FleetStatusSweep: not everything runs: " + String.join("; ", bad));
            System.exit(1);
        }
        System.out.printf("%s %.3f%n", kind, ms);
    }
}
