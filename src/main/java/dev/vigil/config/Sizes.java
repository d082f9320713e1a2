package dev.vigil.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory sizes: a number of bytes, or a number with a unit. Every unit is a power of 1024 whichever way it is spelt
 * ("512k", "200MiB", "1.5G", "2GB"), as systemd's {@code MemoryMax=} reads them, because memory is counted in pages.
 */
final class Sizes {
    static final String RULE =
            "a size in bytes: a whole number, or a number with a unit (K, M, G, T; also KiB, MB, ...), e.g. \"200MiB\","
                    + " \"1.5G\", \"512k\"; 0 means no limit";

    private static final Pattern SIZE =
            Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(?:([kmgt])(?:i?b)?|b)?", Pattern.CASE_INSENSITIVE);

    private Sizes() {}

    static long parse(String text) {
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches()) {
            throw new BadValue(RULE);
        }
        int power = m.group(2) == null ? 0 : "kmgt".indexOf(m.group(2).toLowerCase(Locale.ROOT)) + 1;
        BigDecimal bytes =
                new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1024).pow(power));
        return bytes(bytes.setScale(0, RoundingMode.FLOOR));
    }

    static long bytes(BigDecimal bytes) {
        if (bytes.signum() < 0) {
            throw new BadValue("must not be negative; " + RULE);
        }
        try {
            return bytes.longValueExact();
        } catch (ArithmeticException e) {
            throw new BadValue("a whole number of bytes below 8 EiB; " + RULE);
        }
    }
}
