package dev.vigil.alert;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Alerts in Vigil's log (logger {@code dev.vigil.alert}): firing ones at WARN (INFO for info), resolved at INFO. */
public final class LogSink implements Sink {
    private static final Logger LOG = LoggerFactory.getLogger("dev.vigil.alert");

    @Override
    public Delivery deliver(Alert alert) {
        String line = "alert {} {}: {} on {}: {}{}";
        Object[] args = {
            alert.name(),
            alert.status().name().toLowerCase(java.util.Locale.ROOT),
            alert.service().isEmpty() ? "vigil" : alert.service(),
            alert.host(),
            alert.summary(),
            alert.description().isEmpty() ? "" : " (" + alert.description() + ")"
        };
        if (alert.status() == Alert.Status.FIRING && alert.severity() != Severity.INFO) {
            LOG.warn(line, args);
        } else {
            LOG.info(line, args);
        }
        return Delivery.delivered();
    }
}
