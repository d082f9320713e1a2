package dev.vigil.alert;

import java.util.Optional;

/**
 * The alerts Vigil raises (docs/alerts.md). A <em>state</em> alert fires while a problem lasts and is resolved when it
 * ends; an <em>event</em> alert reports something that happened (a restart) and resolves itself: it is sent once, as
 * firing, with a short {@code endsAt}.
 */
public enum AlertName {
    SERVICE_DOWN("ServiceDown", Severity.CRITICAL, false, "Vigil is starting it again (with back-off)."),
    SERVICE_RESTARTED("ServiceRestarted", Severity.WARNING, true, "Vigil restarted it; it is running again."),
    RESTART_FAILED("RestartFailed", Severity.CRITICAL, false, "Vigil will try again after its back-off delay."),
    SERVICE_GAVE_UP(
            "ServiceGaveUp",
            Severity.CRITICAL,
            false,
            "Vigil gave up restarting it after too many restarts, and will retry after the give-up window."),
    CHECK_FAILING("CheckFailing", Severity.WARNING, false, "Vigil keeps checking; see the service's restart policy."),
    HOST_UNREACHABLE(
            "HostUnreachable",
            Severity.CRITICAL,
            false,
            "Vigil keeps trying it every fleet_check_interval and starts nothing on it until it answers."),
    CONFIG_RELOAD_FAILED(
            "ConfigReloadFailed", Severity.WARNING, false, "Vigil kept running with the last good configuration."),
    ROLLOUT_CONNECT_ERROR(
            "RolloutConnectError",
            Severity.CRITICAL,
            false,
            "The rollout stopped after its retries and is paused; 'vigil rollout resume' goes on."),
    ROLLOUT_RESTART_ERROR(
            "RolloutRestartError",
            Severity.CRITICAL,
            false,
            "The rollout started again what it had stopped on the host and is paused until 'vigil rollout resume'."),
    INSUFFICIENT_HEALTHY_HOSTS(
            "InsufficientHealthyHosts",
            Severity.WARNING,
            false,
            "The rollout takes no host down until enough hosts are healthy again."),
    NEEDS_REBOOT(
            "NeedsReboot",
            Severity.CRITICAL,
            false,
            "A unit did not stop within its timeout; the rollout is paused. The host probably needs a reboot."),
    ROLLOUT_STALLED(
            "RolloutStalled",
            Severity.WARNING,
            false,
            "Hosts are overdue for their restart; the rollout is paused or kept from running."),
    TEST("VigilTestAlert", Severity.INFO, true, "Nothing: this is a test alert, sent on request.");

    private final String alertName;
    private final Severity severity;
    private final boolean event;
    private final String action;

    AlertName(String alertName, Severity severity, boolean event, String action) {
        this.alertName = alertName;
        this.severity = severity;
        this.event = event;
        this.action = action;
    }

    /** The {@code alertname} label, e.g. {@code ServiceDown}. */
    public String alertName() {
        return alertName;
    }

    /** The default severity. */
    public Severity severity() {
        return severity;
    }

    /** Whether it reports something that happened (sent once, resolves itself) rather than a lasting state. */
    public boolean isEvent() {
        return event;
    }

    /** What Vigil does about it, for people reading a mail. */
    public String action() {
        return action;
    }

    public static Optional<AlertName> of(String alertName) {
        for (AlertName name : values()) {
            if (name.alertName.equals(alertName)) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }
}
