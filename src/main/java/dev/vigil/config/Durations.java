package dev.vigil.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as written in configuration: {@code "30s"}, {@code "1h30m"}, {@code "250ms"} or a number of seconds. */
public final class Durations {
    static final String RULE =
            "a duration such as \"30s\", \"5m\", \"1h30m\", \"250ms\", \"0.3s\" or a number of seconds";

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");
    private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:\\.\\d+)?(?:ms|s|m|h|d))+");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?");
    private static final Map<String, BigDecimal> NANOS = Map.of(
            "ms", BigDecimal.valueOf(1_000_000L),
            "s", BigDecimal.valueOf(1_000_000_000L),
            "m", BigDecimal.valueOf(60_000_000_000L),
            "h", BigDecimal.valueOf(3_600_000_000_000L),
            "d", BigDecimal.valueOf(86_400_000_000_000L));

    private Durations() {}

    public static Duration parse(String text) {
        String s = text.strip();
        if (NUMBER.matcher(s).matches()) {
            return seconds(new BigDecimal(s));
        }
        if (s.startsWith("-") && WHOLE.matcher(s.substring(1)).matches()) {
            throw new BadValue("must not be negative; " + RULE);
        }
        if (!WHOLE.matcher(s).matches()) {
            throw new BadValue(RULE);
        }
        BigDecimal nanos = BigDecimal.ZERO;
        Matcher m = PART.matcher(s);
        while (m.find()) {
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(NANOS.get(m.group(2))));
        }
        return ofNanos(nanos);
    }

    /** A plain number of seconds, as TOML numbers and usrsvc values are read. */
    static Duration seconds(BigDecimal seconds) {
        if (seconds.signum() < 0) {
            throw new BadValue("must not be negative; " + RULE);
        }
        return ofNanos(seconds.multiply(NANOS.get("s")));
    }

    private static Duration ofNanos(BigDecimal nanos) {
        try {
            return Duration.ofNanos(nanos.longValueExact());
        } catch (ArithmeticException e) {
            throw new BadValue("a duration of at most about 292 years, in whole nanoseconds; " + RULE);
        }
    }
}
