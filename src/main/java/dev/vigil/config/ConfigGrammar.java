package dev.vigil.config;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The grammars of values the loader accepts, for code outside this package that writes configuration (the importers
 * of dev.vigil.config.imports): a value it emits passes the same rule the loader applies when reading it back.
 */
public final class ConfigGrammar {
    static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9._-]{0,252})");
    static final Pattern USER = Pattern.compile("[A-Za-z_][A-Za-z0-9._-]{0,31}");

    /** What {@link #isHostName} accepts, for messages. */
    public static final String HOST_RULE = "a host name of letters, digits, '.', '_' or '-' (at most 253)";

    /** What {@link #isUserName} accepts, for messages. */
    public static final String USER_RULE =
            "a user name: a letter or '_', then letters, digits, '.', '_' or '-' (at" + " most 32)";

    private ConfigGrammar() {}

    /** Whether {@code name} is one host name of an inventory (no range). */
    public static boolean isHostName(String name) {
        return HOST_NAME.matcher(name).matches() && !name.contains("..") && !name.endsWith(".");
    }

    /** Whether {@code name} is a login user name, as {@code [ssh] user} and {@code [host.NAME] user} take. */
    public static boolean isUserName(String name) {
        return USER.matcher(name).matches();
    }

    /** Whether {@code text} is a systemd unit name, with or without its {@code .service} suffix. */
    public static boolean isUnitName(String text) {
        return accepts(() -> UnitNames.parse(text));
    }

    /** The rule unit names follow, for messages. */
    public static String unitRule() {
        return UnitNames.RULE;
    }

    /** Whether {@code text} is an absolute http or https URL, as alert sinks take. */
    public static boolean isHttpUrl(String text) {
        return accepts(() -> AlertsBuilder.httpUri(text));
    }

    /** Whether {@code parse} returns rather than throwing {@link BadValue}. */
    private static boolean accepts(java.util.function.Supplier<?> parse) {
        try {
            parse.get();
            return true;
        } catch (BadValue e) {
            return false;
        }
    }

    /** The name of {@code names} closest to {@code name} when it is close enough to be a typo of it. */
    public static Optional<String> closest(String name, List<String> names) {
        return names.stream()
                .filter(n -> Key.distance(n, name) <= Math.max(2, name.length() / 3))
                .min(Comparator.comparingInt((String n) -> Key.distance(n, name))
                        .thenComparing(n -> n));
    }
}
