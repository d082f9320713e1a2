package dev.vigil.driver;

import dev.vigil.config.ServiceConfig;
import dev.vigil.config.ServiceGraph;
import dev.vigil.config.VigilConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
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

    private static final String GROUP_PREFIX = "group:";

    private final VigilConfig config;
    private final Function<ServiceConfig, Driver> drivers;
    private final Path lockDir;

    public ServiceControl(VigilConfig config, Function<ServiceConfig, Driver> drivers) {
        this.config = config;
        this.drivers = drivers;
        this.lockDir = config.settings().stateDir().resolve("locks");
    }

    /**
     * Resolves names; {@code all} means every enabled service, in config order, and {@code group:NAME} every enabled
     * service with NAME in its {@code groups}. A name given explicitly is acted on
     * even when disabled: a person asked for it.
     *
     * @throws UnknownServiceException naming what was not found and what exists
     */
    public Selection select(List<String> names) throws UnknownServiceException {
        Set<ServiceConfig> targets = new LinkedHashSet<>();
        List<ServiceConfig> skipped = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String name : names) {
            if (name.equals("all") || name.startsWith(GROUP_PREFIX)) {
                List<ServiceConfig> members = name.equals("all")
                        ? config.services()
                        : config.services().stream()
                                .filter(s -> s.supervision().groups().contains(name.substring(GROUP_PREFIX.length())))
                                .toList();
                if (members.isEmpty() && !name.equals("all")) {
                    throw new UnknownServiceException("no group named \"" + name.substring(GROUP_PREFIX.length())
                            + "\" in " + config.source() + " (groups: " + groups() + "); a service joins a group"
                            + " with groups = [\"NAME\"]");
                }
                for (ServiceConfig service : members) {
                    if (service.notHere().isEmpty()) {
                        targets.add(service);
                    } else if (!skipped.contains(service)) {
                        skipped.add(service);
                    }
                }
            } else {
                Optional<ServiceConfig> named = config.service(name);
                if (named.isPresent() && !named.get().isLocal()) {
                    throw new UnknownServiceException(
                            name + ": " + named.get().notHere().orElseThrow());
                }
                named.ifPresentOrElse(targets::add, () -> unknown.add(name));
            }
        }
        if (!unknown.isEmpty()) {
            throw new UnknownServiceException(unknown, config);
        }
        skipped.removeAll(targets);
        return new Selection(List.copyOf(targets), List.copyOf(skipped));
    }

    private String groups() {
        Set<String> groups = new java.util.TreeSet<>();
        config.services().forEach(s -> groups.addAll(s.supervision().groups()));
        return groups.isEmpty() ? "none defined" : String.join(", ", groups);
    }

    /** One step of a plan: an action on groups of services; each group only after the one before it is done. */
    public record Step(Action action, List<List<ServiceConfig>> waves) {}

    /**
     * What acting on {@code services} means once dependencies are counted (systemd's Requires= and After=): a start
     * first starts what they require; a stop first stops what requires them; a restart of a service that others
     * require stops those, restarts it, and starts them again. Each step is split in waves: services of a wave do
     * not depend on each other, so {@code --parallel} may run a wave at once.
     */
    public List<Step> plan(Action action, List<ServiceConfig> services) {
        ServiceGraph graph = new ServiceGraph(config);
        return switch (action) {
            case START -> List.of(new Step(Action.START, waves(graph, graph.withRequired(services), false)));
            case STOP -> List.of(new Step(Action.STOP, waves(graph, graph.withDependents(services), true)));
            case RESTART -> {
                List<ServiceConfig> affected = graph.withDependents(services);
                if (affected.size() == services.size() && Set.copyOf(affected).equals(Set.copyOf(services))) {
                    yield List.of(new Step(Action.RESTART, waves(graph, graph.startOrder(services), false)));
                }
                yield List.of(
                        new Step(Action.STOP, waves(graph, affected, true)),
                        new Step(Action.START, waves(graph, graph.withRequired(affected), false)));
            }
        };
    }

    /** Groups {@code ordered} by dependency depth; reversed for stops (dependents first). */
    private static List<List<ServiceConfig>> waves(ServiceGraph graph, List<ServiceConfig> ordered, boolean stop) {
        List<ServiceConfig> startOrder = stop ? ordered.reversed() : ordered;
        java.util.Map<String, Integer> depth = new java.util.HashMap<>();
        List<List<ServiceConfig>> waves = new ArrayList<>();
        for (ServiceConfig service : startOrder) {
            int d = service.supervision().dependencies().stream()
                    .filter(depth::containsKey)
                    .mapToInt(depth::get)
                    .map(x -> x + 1)
                    .max()
                    .orElse(0);
            depth.put(service.name(), d);
            while (waves.size() <= d) {
                waves.add(new ArrayList<>());
            }
            waves.get(d).add(service);
        }
        if (stop) {
            java.util.Collections.reverse(waves);
        }
        return waves.stream().map(List::copyOf).toList();
    }

    /**
     * Carries out {@link #plan} here (no daemon); {@code onEach} hears of every outcome as soon as it is known (in
     * completion order within a parallel wave), so a person watching a long {@code start all} sees progress.
     */
    public List<Outcome> apply(
            Action action, List<ServiceConfig> services, boolean parallel, Consumer<Outcome> onEach) {
        List<Outcome> outcomes = new ArrayList<>();
        for (Step step : plan(action, services)) {
            for (List<ServiceConfig> wave : step.waves()) {
                outcomes.addAll(each(wave, parallel, service -> {
                    Outcome outcome = new Outcome(service, step.action(), locked(service, step.action()));
                    synchronized (onEach) {
                        onEach.accept(outcome);
                    }
                    return outcome;
                }));
            }
        }
        return outcomes;
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
