package dev.vigil.driver;

import dev.vigil.config.ServiceConfig;
import dev.vigil.config.VigilConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Applies start, stop, restart and status to a selection of services, one after the other or all at once, holding
 * each service's {@link ServiceLock} while acting on it. Results come back in the order the services were selected,
 * whatever order they finished in, so output is stable.
 */
public final class ServiceControl {
    /** How long an action waits for another Vigil process that is acting on the same service. */
    private static final Duration LOCK_PATIENCE = Duration.ofSeconds(60);

    public enum Action {
        START,
        STOP,
        RESTART;

        public String verb() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The services named on a command line: those to act on, and the disabled ones {@code all} left out. */
    public record Selection(List<ServiceConfig> targets, List<ServiceConfig> skippedDisabled) {}

    public record Outcome(ServiceConfig service, Action action, ActionResult result) {}

    private final VigilConfig config;
    private final Function<ServiceConfig, Driver> drivers;
    private final Path lockDir;

    public ServiceControl(VigilConfig config, Function<ServiceConfig, Driver> drivers) {
        this.config = config;
        this.drivers = drivers;
        this.lockDir = config.settings().stateDir().resolve("locks");
    }

    /**
     * Resolves names; {@code all} means every enabled service, in config order. A name given explicitly is acted on
     * even when disabled: a person asked for it.
     *
     * @throws UnknownServiceException naming what was not found and what exists
     */
    public Selection select(List<String> names) throws UnknownServiceException {
        Set<ServiceConfig> targets = new LinkedHashSet<>();
        List<ServiceConfig> skipped = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String name : names) {
            if (name.equals("all")) {
                for (ServiceConfig service : config.services()) {
                    if (service.enabled()) {
                        targets.add(service);
                    } else if (!skipped.contains(service)) {
                        skipped.add(service);
                    }
                }
            } else {
                config.service(name).ifPresentOrElse(targets::add, () -> unknown.add(name));
            }
        }
        if (!unknown.isEmpty()) {
            throw new UnknownServiceException(unknown, config);
        }
        skipped.removeAll(targets);
        return new Selection(List.copyOf(targets), List.copyOf(skipped));
    }

    /**
     * Acts on each service; {@code onEach} hears of every outcome as soon as it is known (in completion order when
     * parallel), so a person watching a long {@code start all} sees progress.
     */
    public List<Outcome> apply(
            Action action, List<ServiceConfig> services, boolean parallel, Consumer<Outcome> onEach) {
        return each(services, parallel, service -> {
            Outcome outcome = new Outcome(service, action, locked(service, action));
            synchronized (onEach) {
                onEach.accept(outcome);
            }
            return outcome;
        });
    }

    public List<ServiceStatus> status(List<ServiceConfig> services, boolean parallel) {
        return each(services, parallel, service -> drivers.apply(service).status());
    }

    private ActionResult locked(ServiceConfig service, Action action) {
        Driver driver = drivers.apply(service);
        try (ServiceLock _ = ServiceLock.acquire(lockDir, service.name(), LOCK_PATIENCE)) {
            return switch (action) {
                case START -> driver.start();
                case STOP -> driver.stop();
                case RESTART -> driver.restart();
            };
        } catch (IOException e) {
            return new ActionResult(false, e.getMessage(), driver.status());
        }
    }

    private static <T> List<T> each(List<ServiceConfig> services, boolean parallel, Function<ServiceConfig, T> work) {
        if (!parallel || services.size() < 2) {
            return services.stream().map(work).toList();
        }
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<T>> futures = services.stream()
                    .map(service -> pool.submit(() -> work.apply(service)))
                    .toList();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(join(future));
            }
            return results;
        }
    }

    private static <T> T join(Future<T> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
