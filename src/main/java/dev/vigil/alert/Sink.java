package dev.vigil.alert;

/** Where alerts go. Implementations are thread-safe and never throw from {@link #deliver}. */
public sealed interface Sink permits AlertmanagerSink, WebhookSink, MailSink, LogSink {
    /** Delivers one alert notification. */
    Delivery deliver(Alert alert);

    /**
     * Whether the sink wants the periodic re-sends of still-firing alerts ({@link AlertBook#due}): Alertmanager does
     * (or it resolves them itself); mail, webhook and log get each state change once.
     */
    default boolean wantsResends() {
        return false;
    }
}
