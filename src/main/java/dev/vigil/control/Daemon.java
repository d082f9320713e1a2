package dev.vigil.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.config.ConfigError;
import dev.vigil.config.ConfigException;
import dev.vigil.config.ConfigLoader;
import dev.vigil.config.VigilConfig;
import dev.vigil.driver.ActionResult;
import dev.vigil.driver.Drivers;
import dev.vigil.fleet.FleetSupervisor;
import dev.vigil.fleet.OpenFleet;
import dev.vigil.metrics.MergedSamples;
import dev.vigil.metrics.MetricsServer;
import dev.vigil.metrics.Pusher;
import dev.vigil.metrics.ServiceSample;
import dev.vigil.metrics.VigilMetrics;
import dev.vigil.process.Pidfile;
import dev.vigil.rollout.RolloutAlerts;
import dev.vigil.rollout.RolloutCollector;
import dev.vigil.rollout.RolloutEngine;
import dev.vigil.rollout.RolloutMetrics;
import dev.vigil.rollout.RolloutScheduler;
import dev.vigil.rollout.RolloutSpec;
import dev.vigil.rollout.Sleeper;
import dev.vigil.store.Store;
import dev.vigil.supervise.Input;
import dev.vigil.supervise.RestartPolicy;
import dev.vigil.supervise.ServiceMachine;
import dev.vigil.supervise.StoreJournal;
import dev.vigil.supervise.Supervisor;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code vigil daemon}: the composition root. Takes the per-user lock, opens the store, starts the supervisor, the
 * fleet check, the rollout schedule and the control socket, re-reads the configuration on SIGHUP, SIGUSR1 or {@code
 * vigil reload} (keeping the last good one when the new one is bad), and on SIGTERM or SIGINT stops itself, never
 * the services (a rollout halts at a step boundary, see {@link RolloutScheduler}).
 */
public final class Daemon {
    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The longest a person's request through the socket may take (a stop waits term_to_kill_seconds and more). */
    static final Duration REQUEST_BOUND = Duration.ofMinutes(5);
    /**
     * How long a stopping daemon waits for its rollouts to halt at a step boundary: under systemd's default
     * TimeoutStopSec (90 s), so the daemon exits by itself; a step still running then is completed by the next start.
     */
    static final Duration ROLLOUT_HALT_BOUND = Duration.ofSeconds(60);

    private final Path configFile;
    private final Function<Path, VigilConfig> reloader;
    private final Function<VigilConfig, OpenFleet> fleetOpener;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile VigilConfig config;
    private Supervisor supervisor;
    private Store store;
    private Alerting alerting;
    private TellingJournal journal;
    private MergedSamples samples;
    private VigilMetrics metrics;
    private volatile FleetSupervisor fleet;
    private volatile RolloutScheduler rollouts;

    /**
     * A daemon that reaches fleet hosts over SSH.
     *
     * @param reloader loads the configuration again for a reload; throws {@link ConfigRejected} when it is invalid
     */
    public Daemon(Path configFile, VigilConfig config, Function<Path, VigilConfig> reloader) {
        this(configFile, config, reloader, OpenFleet::overSsh);
    }

    /** @param fleetOpener opens a configuration's fleet (its hosts' shells) for the daemon's fleet check */
    public Daemon(
            Path configFile,
            VigilConfig config,
            Function<Path, VigilConfig> reloader,
            Function<VigilConfig, OpenFleet> fleetOpener) {
        this.configFile = configFile;
        this.config = config;
        this.reloader = reloader;
        this.fleetOpener = fleetOpener;
    }

    /** A reload that found errors; the daemon keeps its configuration. */
    public static final class ConfigRejected extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient List<ConfigError> errors;

        public ConfigRejected(ConfigException cause) {
            super(cause.getMessage(), cause);
            this.errors = cause.errors();
        }

        public List<ConfigError> errors() {
            return errors;
        }
    }

    /** Loads {@code file} the way a reload does: {@link ConfigRejected} instead of the checked exception. */
    public static VigilConfig load(Path file) {
        try {
            return ConfigLoader.load(file);
        } catch (ConfigException e) {
            throw new ConfigRejected(e);
        }
    }

    /** The socket the CLI finds the daemon on ({@code control_socket}). */
    public static Path socketOf(VigilConfig config) {
        return config.settings().controlSocket();
    }

    /**
     * Runs until SIGTERM/SIGINT or {@link #stop()}.
     *
     * @throws IOException when the daemon cannot start (another one runs, the socket cannot be bound)
     */
    public void run() throws IOException {
        Path stateDir = config.settings().stateDir();
        Path pidfile = config.settings().daemonPidfile().orElse(stateDir.resolve("daemon.pid"));
        try (DaemonLock _ = DaemonLock.acquire(stateDir.resolve("daemon.lock"), pidfile)) {
            Pidfile.write(pidfile, ProcessHandle.current().pid());
            store = Store.open(stateDir.resolve("state.db"));
            InstantSource clock = InstantSource.system();
            metrics = new VigilMetrics(Build.version(), clock);
            samples = new MergedSamples(metrics);
            metrics.registry()
                    .register(new RolloutCollector(
                            store,
                            () -> config.rollouts().stream()
                                    .map(RolloutSpec::name)
                                    .toList(),
                            name -> rollouts == null ? Optional.empty() : rollouts.heartbeat(name)));
            alerting = new Alerting(config.settings().alerts(), store, clock, Pusher.localHostname());
            journal = new TellingJournal(new StoreJournal(store, clock), metrics, alerting, clock);
            supervisor = new Supervisor(
                    config.services(),
                    Drivers.local(config),
                    RestartPolicy::of,
                    journal,
                    clock,
                    stateDir,
                    config.settings().sweepInterval());
            supervisor.onPublish(snapshots -> {
                metrics.heartbeat(clock.instant());
                samples.local(snapshots.stream().map(ServiceSample::of).toList());
            });
            supervisor.onSweep(() -> metrics.heartbeat(clock.instant()));
            try (ControlServer control = new ControlServer(socketOf(config), this::handle);
                    MetricsServer http = metricsServer(metrics)) {
                supervisor.start();
                startFleet(config);
                rollouts = new RolloutScheduler(
                        store, this::openRollout, clock, ZoneId.systemDefault(), RolloutScheduler.RECHECK);
                rollouts.start(config);
                Signals.on("HUP", () -> Thread.ofVirtual().start(this::reload));
                Signals.on("USR1", () -> Thread.ofVirtual().start(this::reload));
                Signals.on("TERM", this::stop);
                Signals.on("INT", this::stop);
                pruneEvents();
                store.append(
                        "",
                        "",
                        "daemon_started",
                        "vigil daemon started, pid " + ProcessHandle.current().pid() + ", "
                                + config.services().size() + " services",
                        Map.of(),
                        clock.instant());
                LOG.info(
                        "vigil daemon started: pid {}, {} services, config {}, socket {}, metrics {}",
                        ProcessHandle.current().pid(),
                        supervisor.snapshots().size(),
                        configFile,
                        control.socket(),
                        http == null ? "off (metrics_listen)" : http.metricsUri());
                awaitStop();
                LOG.info("vigil daemon stopping; services are left running");
                store.append(
                        "",
                        "",
                        "daemon_stopped",
                        "vigil daemon stopped; services left running",
                        Map.of(),
                        clock.instant());
            } finally {
                if (rollouts != null) {
                    rollouts.close(ROLLOUT_HALT_BOUND);
                }
                if (fleet != null) {
                    fleet.close();
                }
                supervisor.close();
                alerting.close();
                store.close();
                Pidfile.delete(pidfile);
            }
        }
    }

    /** Starts the fleet check when {@code next} has fleet services and hosts; logs why not when it cannot. */
    private void startFleet(VigilConfig next) {
        if (!FleetSupervisor.wanted(next)) {
            return;
        }
        try {
            FleetSupervisor started =
                    new FleetSupervisor(next, fleetOpener, RestartPolicy::of, journal, InstantSource.system());
            started.onPass(pass -> {
                samples.fleet(pass.samples());
                metrics.fleetChecked(pass.hostsUp(), pass.took());
            });
            started.start();
            fleet = started;
            LOG.info("fleet check every {}", next.settings().fleetCheckInterval());
        } catch (RuntimeException e) {
            LOG.error("no fleet check: {}", e.getMessage());
        }
    }

    /** A reload's share for the fleet check: start it, hand it the new configuration, or stop it. */
    private void reloadFleet(VigilConfig next) {
        FleetSupervisor running = fleet;
        if (running == null) {
            startFleet(next);
        } else if (!FleetSupervisor.wanted(next)) {
            fleet = null;
            running.close();
            samples.fleet(List.of());
            metrics.fleetChecked(Map.of(), Duration.ZERO);
            LOG.info("fleet check stopped: the configuration has no fleet services any more");
        } else {
            running.reconfigure(next).whenComplete((changes, failure) -> {
                if (failure != null) {
                    LOG.error("fleet check kept its configuration: {}", failure.getMessage());
                }
            });
        }
    }

    /** One run of a scheduled rollout: its hosts reached like the fleet check's, its alerts through the daemon's. */
    private RolloutScheduler.Opened openRollout(VigilConfig cfg, RolloutSpec spec, Sleeper sleeper) {
        OpenFleet hosts = fleetOpener.apply(cfg);
        InstantSource clock = InstantSource.system();
        RolloutEngine engine = new RolloutEngine(
                spec,
                cfg.inventory(),
                hosts.shells(),
                store,
                new RolloutAlerts(spec.name(), store, Optional.of(alerting), clock),
                clock,
                ZoneId.systemDefault(),
                sleeper,
                line -> LOG.info("rollout {}: {}", spec.name(), line),
                new RolloutMetrics(spec.name(), store, Optional.empty())); // the daemon's /metrics has them
        return new RolloutScheduler.Opened(engine, hosts);
    }

    /** Keeps the history to event_retention: once at start, then daily (a virtual thread that sleeps). */
    private void pruneEvents() {
        Thread.ofVirtual().name("vigil-retention").start(() -> {
            while (stopped.getCount() > 0) {
                try {
                    int pruned = store.pruneEventsBefore(InstantSource.system()
                            .instant()
                            .minus(config.settings().eventRetention()));
                    if (pruned > 0) {
                        LOG.info(
                                "pruned {} events older than {}",
                                pruned,
                                config.settings().eventRetention());
                    }
                    if (stopped.await(1, TimeUnit.DAYS)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    LOG.warn("pruning the event history failed: {}", e.getMessage());
                    try {
                        if (stopped.await(1, TimeUnit.HOURS)) {
                            return;
                        }
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
            }
        });
    }

    /** The /metrics endpoint when metrics_listen is set; null (nothing to close) otherwise. */
    private MetricsServer metricsServer(VigilMetrics metrics) throws IOException {
        var listen = config.settings().metricsListen();
        if (listen.isEmpty()) {
            return null;
        }
        try {
            return MetricsServer.start(
                    metrics,
                    new java.net.InetSocketAddress(
                            listen.get().host(), listen.get().port()),
                    false);
        } catch (IllegalArgumentException e) {
            throw new IOException("metrics_listen = \"" + listen.get() + "\": " + e.getMessage(), e);
        }
    }

    public void stop() {
        stopped.countDown();
    }

    private void awaitStop() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Re-reads the configuration file; the reply says what changed, or every error and that nothing changed. */
    ObjectNode reload() {
        ObjectNode reply = JSON.createObjectNode();
        VigilConfig next;
        try {
            next = reloader.apply(configFile);
        } catch (ConfigRejected e) {
            LOG.error(
                    "reload of {} rejected, keeping the running configuration: {} errors",
                    configFile,
                    e.errors().size());
            e.errors().forEach(error -> LOG.error("  {}", error));
            store.append(
                    "",
                    "",
                    "reload_failed",
                    e.errors().size() + " errors in " + configFile + "; first: "
                            + e.errors().getFirst(),
                    Map.of(),
                    InstantSource.system().instant());
            alerting.reloadFailed(e.errors().size() + " errors in " + configFile + "; first: "
                    + e.errors().getFirst());
            reply.put("ok", false);
            ArrayNode errors = reply.putArray("errors");
            e.errors().forEach(error -> errors.add(error.toString()));
            return reply;
        }
        List<String> changes = new ArrayList<>(await(supervisor.reconfigure(next.services())));
        reloadFleet(next);
        config = next;
        changes.addAll(rollouts.reconfigure(next));
        LOG.info("reloaded {}: {}", configFile, changes.isEmpty() ? "no change" : String.join("; ", changes));
        store.append(
                "",
                "",
                "reloaded",
                changes.isEmpty() ? "no change" : String.join("; ", changes),
                Map.of(),
                InstantSource.system().instant());
        alerting.reloaded();
        reply.put("ok", true);
        ArrayNode list = reply.putArray("changes");
        changes.forEach(list::add);
        return reply;
    }

    private JsonNode handle(JsonNode request, String peer) {
        String op = request.path("op").asText("");
        return switch (op) {
            case "ping" -> ping();
            case "status" -> status();
            case "act" -> act(request, "cli:" + peer);
            case "reload" -> reload();
            case "alert-test" -> alertTest(request);
            default -> error("unknown request \"" + op + "\"");
        };
    }

    private ObjectNode alertTest(JsonNode request) {
        List<String> sinks = new ArrayList<>();
        request.path("sinks").forEach(n -> sinks.add(n.asText()));
        List<String> unknown = sinks.stream()
                .filter(n -> !config.settings().alerts().sinks().containsKey(n))
                .toList();
        if (!unknown.isEmpty()) {
            return error("no alert sink named " + unknown + " (sinks: "
                    + config.settings().alerts().sinks().keySet() + ")");
        }
        alerting.test(sinks);
        ObjectNode reply = JSON.createObjectNode();
        reply.put("ok", true);
        reply.put(
                "message",
                "test alert queued for " + (sinks.isEmpty() ? "every sink" : sinks)
                        + "; 'vigil events' and the daemon's log show its delivery");
        return reply;
    }

    private ObjectNode ping() {
        ObjectNode reply = JSON.createObjectNode();
        reply.put("ok", true);
        reply.put("pid", ProcessHandle.current().pid());
        reply.put("config", configFile.toString());
        return reply;
    }

    private ObjectNode status() {
        ObjectNode reply = JSON.createObjectNode();
        reply.put("ok", true);
        ArrayNode services = reply.putArray("services");
        for (ServiceMachine.Snapshot s : supervisor.snapshots()) {
            ObjectNode node = services.addObject();
            node.put("name", s.name());
            node.put("desired", s.desired().name().toLowerCase(java.util.Locale.ROOT));
            node.put("phase", s.phase().label());
            node.put("restarts_in_window", s.restartsInWindow());
            node.put("consecutive_failures", s.consecutiveFailures());
            node.put("next_attempt_at", s.nextAttemptAt().map(Object::toString).orElse(null));
            node.put("given_up_until", s.givenUpUntil().map(Object::toString).orElse(null));
            node.put("last_reason", s.lastReason());
        }
        return reply;
    }

    private ObjectNode act(JsonNode request, String who) {
        Input.Request what;
        try {
            what = Input.Request.valueOf(request.path("action").asText("").toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return error("unknown action \"" + request.path("action").asText("") + "\"");
        }
        boolean parallel = request.path("parallel").asBoolean(false);
        List<String> names = new ArrayList<>();
        request.path("names").forEach(n -> names.add(n.asText()));
        List<String> supervised = supervisor.snapshots().stream()
                .map(ServiceMachine.Snapshot::name)
                .toList();
        FleetSupervisor fleetCheck = fleet;
        List<String> placed = fleetCheck == null
                ? List.of()
                : fleetCheck.snapshots().stream()
                        .map(ServiceMachine.Snapshot::name)
                        .toList();
        List<String> unknown = names.stream()
                .filter(n -> !supervised.contains(n) && !placed.contains(n))
                .toList();
        if (!unknown.isEmpty()) {
            return error("the daemon does not supervise " + unknown + " (disabled, or not in its configuration: run"
                    + " 'vigil reload' after changing it)");
        }
        ObjectNode reply = JSON.createObjectNode();
        ArrayNode outcomes = reply.putArray("outcomes");
        List<CompletableFuture<ActionResult>> pending = new ArrayList<>();
        for (String name : names) {
            // SERVICE@HOST: a fleet placement, whose machine lives in the fleet check
            CompletableFuture<ActionResult> future = placed.contains(name)
                    ? CompletableFuture.supplyAsync(
                            () -> fleetCheck.request(name, what, who),
                            runnable -> Thread.ofVirtual().start(runnable))
                    : supervisor.request(name, what, who);
            if (!parallel) {
                await(future);
            }
            pending.add(future);
        }
        boolean allOk = true;
        for (int i = 0; i < names.size(); i++) {
            ActionResult result = await(pending.get(i));
            ObjectNode outcome = outcomes.addObject();
            outcome.put("name", names.get(i));
            outcome.put("ok", result.ok());
            outcome.put("message", result.message());
            allOk &= result.ok();
        }
        reply.put("ok", allOk);
        return reply;
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(REQUEST_BOUND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("not done within " + REQUEST_BOUND.toMinutes() + " minutes");
        }
    }

    private static ObjectNode error(String message) {
        ObjectNode reply = JSON.createObjectNode();
        reply.put("ok", false);
        reply.put("error", message);
        return reply;
    }
}
