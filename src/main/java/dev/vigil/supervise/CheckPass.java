package dev.vigil.supervise;

import dev.vigil.config.ServiceConfig;
import dev.vigil.driver.ActionResult;
import dev.vigil.driver.Driver;
import dev.vigil.driver.ServiceLock;
import dev.vigil.driver.ServiceState;
import dev.vigil.driver.ServiceStatus;
import dev.vigil.store.DesiredRecord;
import dev.vigil.store.DesiredState;
import dev.vigil.store.Store;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One pass over every enabled service, for cron (CloudStack's monitor job, CFEngine's agent run): look, and with
 * {@code repair} start what should run and does not. A service a person stopped is left alone and not counted as
 * down. Every repair is recorded in the event history.
 */
public final class CheckPass {
    private static final Duration LOCK_PATIENCE = Duration.ofSeconds(60);

    /** What the pass found and did for one service. */
    public record Finding(ServiceConfig service, Verdict verdict, String message, ServiceStatus status) {}

    public enum Verdict {
        UP,
        LEFT_DOWN_ON_PURPOSE,
        REPAIRED,
        DOWN,
        REPAIR_FAILED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    private final Function<ServiceConfig, Driver> drivers;
    private final Store store;
    private final Path lockDir;

    public CheckPass(Function<ServiceConfig, Driver> drivers, Store store, Path stateDir) {
        this.drivers = drivers;
        this.store = store;
        this.lockDir = stateDir.resolve("locks");
    }

    public List<Finding> run(List<ServiceConfig> services, boolean repair) {
        List<Finding> findings = new ArrayList<>();
        for (ServiceConfig service : services) {
            findings.add(check(service, repair));
        }
        return findings;
    }

    private Finding check(ServiceConfig service, boolean repair) {
        Driver driver = drivers.apply(service);
        ServiceStatus status = driver.status();
        if (status.state() == ServiceState.RUNNING || status.state() == ServiceState.STARTING) {
            return new Finding(
                    service,
                    Verdict.UP,
                    service.name() + ": running"
                            + status.pid().map(p -> ", pid " + p).orElse(""),
                    status);
        }
        Optional<DesiredRecord> desired = store.desired(service.name());
        if (desired.isPresent() && desired.get().state() != DesiredState.RUNNING) {
            DesiredRecord d = desired.get();
            return new Finding(
                    service,
                    Verdict.LEFT_DOWN_ON_PURPOSE,
                    service.name() + ": "
                            + d.state().name().toLowerCase(java.util.Locale.ROOT) + " on purpose (by " + d.setBy()
                            + " at "
                            + d.at() + "); left alone",
                    status);
        }
        String down = service.name() + ": " + status.state().label() + " (" + status.detail() + ")";
        if (!repair) {
            return new Finding(service, Verdict.DOWN, down, status);
        }
        ActionResult result;
        try (ServiceLock _ = ServiceLock.acquire(lockDir, service.name(), LOCK_PATIENCE)) {
            result = driver.start();
        } catch (IOException e) {
            result = new ActionResult(false, e.getMessage(), status);
        }
        Verdict verdict = result.ok() ? Verdict.REPAIRED : Verdict.REPAIR_FAILED;
        String message = down + "; " + (result.ok() ? "repaired: " : "repair failed: ") + result.message();
        store.append(service.name(), "", result.ok() ? "repaired" : "repair_failed", message, Map.of(), Instant.now());
        return new Finding(service, verdict, message, result.after());
    }
}
