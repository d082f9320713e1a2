package dev.vigil.config;

/** Thrown by a value parser with the rule the value broke; {@link Fields} turns it into a {@link ConfigError}. */
final class BadValue extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadValue(String rule) {
        super(rule, null, false, false);
    }

    String rule() {
        return getMessage();
    }
}
