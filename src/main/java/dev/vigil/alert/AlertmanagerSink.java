package dev.vigil.alert;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Prometheus Alertmanager, API v2: {@code POST URL/api/v2/alerts}. An HA pair (or more) is given as several URLs:
 * each alert is posted to every one (Alertmanagers gossip, but only about what they received), and the delivery
 * succeeds if any of them accepted it.
 */
public final class AlertmanagerSink implements Sink {
    private final List<URI> urls;
    private final Http http;

    /**
     * @param urls base URLs, e.g. {@code http://am1:9093}; {@code /api/v2/alerts} is appended
     * @param timeout connect timeout, and the whole request's timeout, per URL
     */
    public AlertmanagerSink(List<URI> urls, Duration timeout) {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("an Alertmanager sink needs at least one URL");
        }
        this.urls = List.copyOf(urls);
        this.http = new Http(timeout);
    }

    public List<URI> urls() {
        return urls;
    }

    public Duration timeout() {
        return http.timeout();
    }

    @Override
    public boolean wantsResends() {
        return true;
    }

    @Override
    public Delivery deliver(Alert alert) {
        String body = AlertJson.alertmanager(List.of(alert));
        List<String> failures = new ArrayList<>();
        boolean retryable = false;
        boolean delivered = false;
        for (URI url : urls) {
            switch (http.postJson(endpoint(url), body, Optional.empty())) {
                case Delivery.Delivered d -> delivered = true;
                case Delivery.Failed(boolean again, String why) -> {
                    retryable |= again;
                    failures.add(why);
                }
            }
        }
        if (delivered) {
            return Delivery.delivered();
        }
        return new Delivery.Failed(retryable, String.join("; ", failures));
    }

    static URI endpoint(URI base) {
        String s = base.toString();
        return URI.create((s.endsWith("/") ? s.substring(0, s.length() - 1) : s) + "/api/v2/alerts");
    }
}
