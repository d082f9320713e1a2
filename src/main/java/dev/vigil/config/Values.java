package dev.vigil.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads one typed value from a {@link Node}, or throws {@link BadValue} with the rule it breaks. Values from usrsvc
 * files are untyped text, so there "True" is a boolean and "30" a number; in TOML the types must match.
 */
final class Values {
    static final String BOOLEAN = "true or false";
    static final String USRSVC_BOOLEAN = "a boolean: True, False, yes, no, 1 or 0";
    static final String STRING = "a string (in quotes)";
    static final String COUNT = "a whole number, 0 or more";
    static final String ABSOLUTE = "an absolute path (starting with /)";
    static final String STRINGS = "a string or an array of strings";
    private static final Pattern TEXT_NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?");

    private Values() {}

    static boolean bool(Node node) {
        return switch (node) {
            case Node.Scalar(var k, var at, Boolean b, var text) -> b;
            case Node.Scalar(var k, var at, String s, var text)
            when text ->
                switch (s.strip().toLowerCase(Locale.ROOT)) {
                    case "true", "yes", "on", "1" -> true;
                    case "false", "no", "off", "0" -> false;
                    default -> throw new BadValue(USRSVC_BOOLEAN);
                };
            default -> throw new BadValue(BOOLEAN + " (without quotes)");
        };
    }

    static String string(Node node) {
        if (node instanceof Node.Scalar(var k, var at, String s, var text)) {
            return s;
        }
        throw new BadValue(STRING);
    }

    /** A number as a decimal, from a TOML number or (usrsvc) a string of digits; empty for other strings. */
    private static BigDecimal number(Node node, String rule) {
        return switch (node) {
            case Node.Scalar(var k, var at, Long l, var text) -> BigDecimal.valueOf(l);
            case Node.Scalar(var k, var at, BigInteger b, var text) -> new BigDecimal(b);
            case Node.Scalar(var k, var at, Double d, var text) when Double.isFinite(d) -> BigDecimal.valueOf(d);
            case Node.Scalar(var k, var at, String s, var text)
            when text && TEXT_NUMBER.matcher(s.strip()).matches() -> new BigDecimal(s.strip());
            default -> throw new BadValue(rule);
        };
    }

    static int count(Node node) {
        BigDecimal n = number(node, COUNT);
        if (n.signum() < 0
                || n.stripTrailingZeros().scale() > 0
                || n.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
            throw new BadValue(COUNT);
        }
        return n.intValueExact();
    }

    /** A whole number from {@code min} to {@code max}; {@code rule} says so. */
    static int integer(Node node, int min, int max, String rule) {
        BigDecimal n = number(node, rule);
        if (n.stripTrailingZeros().scale() > 0
                || n.compareTo(BigDecimal.valueOf(min)) < 0
                || n.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw new BadValue(rule);
        }
        return n.intValueExact();
    }

    /** An array of whole numbers from {@code min} to {@code max} (one number alone is an array of one). */
    static List<Integer> integers(Node node, int min, int max, String rule) {
        List<Node> items = node instanceof Node.Array(var k, var at, var list) ? list : List.of(node);
        return items.stream().map(item -> integer(item, min, max, rule)).toList();
    }

    /** A number, whole or not, at least {@code min}. */
    static double decimal(Node node, double min, String rule) {
        BigDecimal n = number(node, rule);
        if (n.compareTo(BigDecimal.valueOf(min)) < 0) {
            throw new BadValue(rule);
        }
        return n.doubleValue();
    }

    static Duration duration(Node node) {
        if (node instanceof Node.Scalar(var k, var at, String s, var text)) {
            return Durations.parse(s);
        }
        return Durations.seconds(number(node, Durations.RULE));
    }

    /** A duration greater than 0. */
    static Duration positiveDuration(Node node) {
        Duration d = duration(node);
        if (d.isZero()) {
            throw new BadValue("a duration greater than 0; " + Durations.RULE);
        }
        return d;
    }

    static long size(Node node) {
        if (node instanceof Node.Scalar(var k, var at, String s, var text)) {
            return Sizes.parse(s);
        }
        BigDecimal n = number(node, Sizes.RULE);
        if (n.stripTrailingZeros().scale() > 0) {
            throw new BadValue("a whole number of bytes; " + Sizes.RULE);
        }
        return Sizes.bytes(n);
    }

    static Path absolutePath(Node node) {
        String s = string(node);
        if (!s.startsWith("/")) {
            throw new BadValue(ABSOLUTE);
        }
        return Path.of(s).normalize();
    }

    static List<String> strings(Node node) {
        return switch (node) {
            case Node.Scalar(var k, var at, String s, var text) -> List.of(s);
            case Node.Array(var k, var at, var items) -> {
                List<String> list = new ArrayList<>();
                for (Node item : items) {
                    if (!(item instanceof Node.Scalar(var ik, var iat, String s, var text))) {
                        throw new BadValue(STRINGS);
                    }
                    list.add(s);
                }
                yield list;
            }
            default -> throw new BadValue(STRINGS);
        };
    }

    static Pattern regex(Node node) {
        String s = string(node);
        try {
            return Pattern.compile(s);
        } catch (PatternSyntaxException e) {
            throw new BadValue("a Java regular expression; this one has an error: " + e.getDescription()
                    + " near index " + e.getIndex());
        }
    }

    static Node.Table table(Node node) {
        if (node instanceof Node.Table table) {
            return table;
        }
        throw new BadValue("a table, e.g. a [section] header");
    }
}
