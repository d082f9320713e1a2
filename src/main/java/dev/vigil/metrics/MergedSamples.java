package dev.vigil.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * The samples of the daemon's two engines, the local {@code Supervisor} and the fleet check, handed to
 * {@link VigilMetrics#update} together: each engine replaces only its own part, so neither removes the other's
 * series. Thread-safe: the engines publish from their own threads.
 */
public final class MergedSamples {
    private final VigilMetrics metrics;
    private List<ServiceSample> local = List.of();
    private List<ServiceSample> fleet = List.of();

    public MergedSamples(VigilMetrics metrics) {
        this.metrics = metrics;
    }

    /** Every local service, as of the local engine's last step. */
    public synchronized void local(List<ServiceSample> samples) {
        local = List.copyOf(samples);
        push();
    }

    /** Every fleet placement, as of the last fleet check (empty when the fleet is no longer supervised). */
    public synchronized void fleet(List<ServiceSample> samples) {
        fleet = List.copyOf(samples);
        push();
    }

    private void push() {
        List<ServiceSample> all = new ArrayList<>(local.size() + fleet.size());
        all.addAll(local);
        all.addAll(fleet);
        metrics.update(all);
    }
}
