package dev.vigil.cli;

import dev.vigil.config.ServiceConfig;
import dev.vigil.driver.ServiceStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The human form of {@code vigil status}: a table, then one line of why for each service that is not up. */
final class StatusTable {
    private static final int COMMAND_WIDTH = 60;

    private StatusTable() {}

    static void print(PrintWriter out, List<ServiceStatus> statuses, List<ServiceConfig> disabled, Instant now) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "STATE", "PID", "UPTIME", "DRIVER", "COMMAND"});
        for (ServiceStatus status : statuses) {
            rows.add(new String[] {
                status.name(),
                status.state().label(),
                status.pid().map(String::valueOf).orElse("-"),
                status.startedAt().map(t -> uptime(Duration.between(t, now))).orElse("-"),
                status.driver(),
                cut(status.command())
            });
        }
        Table.print(out, rows);
        for (ServiceStatus status : statuses) {
            if (!StatusCommand.isUp(status.state())) {
                out.println(status.name() + ": " + status.detail());
            }
        }
        for (ServiceConfig service : disabled) {
            out.println(service.name() + ": disabled (enabled = false at " + service.origin() + ")");
        }
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
