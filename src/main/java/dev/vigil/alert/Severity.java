package dev.vigil.alert;

import java.util.Locale;

/** How urgent an alert is; sent as the {@code severity} label. */
public enum Severity {
    CRITICAL,
    WARNING,
    INFO;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
