package dev.vigil.check;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** Phrases for check messages, written the way the configuration writes values ("1m30s", "512.0 MiB"). */
final class Describe {
    private static final String[] UNITS = {"bytes", "KiB", "MiB", "GiB", "TiB"};

    private Describe() {}

    /** "250ms", "2s", "1.5s", "1m30s", "1h": the duration syntax of the configuration, so messages can be pasted. */
    static String duration(Duration d) {
        if (d.isNegative()) {
            return "-" + duration(d.negated());
        }
        long millis = d.toMillis();
        if (millis < 1000) {
            return millis + "ms";
        }
        StringBuilder out = new StringBuilder();
        long hours = millis / 3_600_000;
        long minutes = millis / 60_000 % 60;
        long restMillis = millis % 60_000;
        if (hours > 0) {
            out.append(hours).append('h');
        }
        if (minutes > 0) {
            out.append(minutes).append('m');
        }
        if (restMillis > 0) {
            out.append(BigDecimal.valueOf(restMillis, 3).stripTrailingZeros().toPlainString())
                    .append('s');
        }
        return out.toString();
    }

    /** A duration cut to whole seconds when it is longer than a second, for ages that nobody reads to the millisecond. */
    static String roughly(Duration d) {
        return d.compareTo(Duration.ofSeconds(1)) < 0 ? duration(d) : duration(Duration.ofSeconds(d.toSeconds()));
    }

    /** "512.0 MiB (536870912 bytes)": readable, and exact for comparing with the limit. */
    static String bytes(long bytes) {
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        if (unit == 0) {
            return bytes + " bytes";
        }
        return String.format(Locale.ROOT, "%.1f %s (%d bytes)", value, UNITS[unit], bytes);
    }

    /** "200-399", "200, 204, 301-302": a set of statuses as ranges. */
    static String ranges(Set<Integer> values) {
        List<String> parts = new ArrayList<>();
        Integer start = null;
        Integer previous = null;
        for (int v : new TreeSet<>(values)) {
            if (previous != null && v == previous + 1) {
                previous = v;
                continue;
            }
            if (start != null) {
                parts.add(range(start, previous));
            }
            start = v;
            previous = v;
        }
        if (start != null) {
            parts.add(range(start, previous));
        }
        return String.join(", ", parts);
    }

    private static String range(int from, int to) {
        return from == to ? Integer.toString(from) : from + "-" + to;
    }

    /** The most telling message of an exception chain: its own, else its cause's, else its class name. */
    static String failure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                return c == t ? c.getMessage() : t.getClass().getSimpleName() + ": " + c.getMessage();
            }
        }
        return t.getClass().getSimpleName();
    }

    /** At most {@code max} characters of {@code text} on one line, for an excerpt in a message. */
    static String excerpt(String text, int max) {
        String line = text.strip().replaceAll("\\s+", " ");
        return line.length() > max ? line.substring(0, max) + "..." : line;
    }
}
