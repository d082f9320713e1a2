package dev.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.config.ServiceConfig;
import dev.vigil.driver.ServiceStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The human form of {@code vigil status}: a table, then one line of why for each service that is not up. */
final class StatusTable {
    private static final int COMMAND_WIDTH = 60;

    private StatusTable() {}

    /** {@code daemon}: what a running daemon says of each service (empty: no daemon, no DAEMON column). */
    static void print(
            PrintWriter out,
            List<ServiceStatus> statuses,
            List<ServiceConfig> disabled,
            Map<String, JsonNode> daemon,
            Instant now) {
        List<String[]> rows = new ArrayList<>();
        boolean supervised = !daemon.isEmpty();
        rows.add(
                supervised
                        ? new String[] {"NAME", "STATE", "PID", "UPTIME", "DAEMON", "DRIVER", "COMMAND"}
                        : new String[] {"NAME", "STATE", "PID", "UPTIME", "DRIVER", "COMMAND"});
        for (ServiceStatus status : statuses) {
            List<String> row = new ArrayList<>(List.of(
                    status.name(),
                    status.state().label(),
                    status.pid().map(String::valueOf).orElse("-"),
                    status.startedAt()
                            .map(t -> uptime(Duration.between(t, now)))
                            .orElse("-")));
            if (supervised) {
                row.add(daemonColumn(daemon.get(status.name())));
            }
            row.add(status.driver());
            row.add(cut(status.command()));
            rows.add(row.toArray(String[]::new));
        }
        Table.print(out, rows);
        for (ServiceStatus status : statuses) {
            JsonNode node = daemon.get(status.name());
            if (node != null && node.hasNonNull("given_up_until")) {
                out.println(status.name() + ": the daemon gave up on it until "
                        + node.get("given_up_until").asText()
                        + " (" + node.path("last_reason").asText() + "); 'vigil reset " + status.name()
                        + "' retries now");
            }
        }
        for (ServiceStatus status : statuses) {
            if (!StatusCommand.isUp(status.state())) {
                JsonNode node = daemon.get(status.name());
                boolean onPurpose =
                        node != null && !node.path("desired").asText("running").equals("running");
                out.println(status.name() + ": "
                        + (onPurpose
                                ? node.path("desired").asText() + " on purpose; the daemon leaves it so ('vigil start "
                                        + status.name() + "' to run it again)"
                                : status.detail()));
            }
        }
        for (ServiceConfig service : disabled) {
            out.println(service.name() + ": " + service.notHere().orElse("skipped"));
        }
    }

    /** The daemon's view: its phase, and the desired state when a person set it to something else. */
    private static String daemonColumn(JsonNode node) {
        if (node == null) {
            return "-";
        }
        String phase = node.path("phase").asText("?");
        String desired = node.path("desired").asText("running");
        return desired.equals("running") ? phase : phase + " (" + desired + ")";
    }

    /** 3d4h, 3m12s, 45s: the two largest units, like ps and systemctl. */
    static String uptime(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s >= 86_400) {
            return s / 86_400 + "d" + (s % 86_400) / 3600 + "h";
        }
        if (s >= 3600) {
            return s / 3600 + "h" + (s % 3600) / 60 + "m";
        }
        if (s >= 60) {
            return s / 60 + "m" + s % 60 + "s";
        }
        return s + "s";
    }

    private static String cut(String text) {
        return text.length() <= COMMAND_WIDTH ? text : text.substring(0, COMMAND_WIDTH - 3) + "...";
    }
}
