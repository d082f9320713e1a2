package dev.vigil.alert;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** A JSON POST of each alert ({@link AlertJson#toJson}'s form) to one URL, with an optional bearer token. */
public final class WebhookSink implements Sink {
    private final URI url;
    private final Optional<String> bearerToken;
    private final Http http;

    public WebhookSink(URI url, Optional<String> bearerToken, Duration timeout) {
        this.url = url;
        this.bearerToken = bearerToken;
        this.http = new Http(timeout);
    }

    public URI url() {
        return url;
    }

    public Duration timeout() {
        return http.timeout();
    }

    @Override
    public Delivery deliver(Alert alert) {
        return http.postJson(url, AlertJson.toJson(alert), bearerToken);
    }

    @Override
    public String toString() {
        return "webhook " + url + (bearerToken.isPresent() ? " (with a token)" : "");
    }
}
