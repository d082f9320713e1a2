package dev.vigil.config;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * systemd unit names. A unit name reaches {@code systemctl} and, for fleets, a remote shell, so only systemd's own
 * grammar is let through: no spaces, quotes, {@code ;} or {@code $}, no leading {@code -} (an option to systemctl).
 */
public final class UnitNames {
    static final String RULE = "a systemd unit name: letters, digits and : _ . - \\ with an optional @instance, at most"
            + " 255 characters, not starting with '-', e.g. \"nginx\", \"nginx.service\" or \"cmsd@cluster.service\"";

    private static final Pattern NAME =
            Pattern.compile("[A-Za-z0-9:_.\\\\][A-Za-z0-9:_.\\\\-]*(?:@[A-Za-z0-9:_.\\\\-]+)?");
    private static final Set<String> SUFFIXES = Set.of(
            "service", "socket", "device", "mount", "automount", "swap", "target", "path", "timer", "slice", "scope");

    private UnitNames() {}

    /**
     * Whether {@code unit} is a full unit name of systemd's grammar, as {@link #parse} returns: the check every
     * driver makes again before a name reaches a shell, local or remote.
     */
    public static boolean isValid(String unit) {
        try {
            return parse(unit).equals(unit);
        } catch (BadValue e) {
            return false;
        }
    }

    /** The full unit name: {@code .service} appended when the name has no unit suffix. */
    static String parse(String text) {
        if (!NAME.matcher(text).matches() || text.startsWith("@") || text.contains("@.")) {
            throw new BadValue(RULE);
        }
        int dot = text.lastIndexOf('.');
        boolean suffixed = dot > text.lastIndexOf('@') && SUFFIXES.contains(text.substring(dot + 1));
        String unit = suffixed ? text : text + ".service";
        if (unit.length() > 255) {
            throw new BadValue(RULE);
        }
        return unit;
    }
}
