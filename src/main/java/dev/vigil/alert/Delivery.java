package dev.vigil.alert;

/** What became of one delivery attempt. Sinks return one; they never throw. */
public sealed interface Delivery {
    /** The sink took it. */
    record Delivered() implements Delivery {}

    /**
     * The sink did not take it.
     *
     * @param retryable whether trying again later may work (sink down, timeout, 5xx); when not (the sink rejected
     *     the alert itself), the outbox drops the entry and logs why
     * @param why what went wrong, for people: names the sink's address
     */
    record Failed(boolean retryable, String why) implements Delivery {}

    static Delivery delivered() {
        return new Delivered();
    }

    static Delivery retry(String why) {
        return new Failed(true, why);
    }

    static Delivery reject(String why) {
        return new Failed(false, why);
    }
}
