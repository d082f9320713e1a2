package dev.vigil.control;

import dev.vigil.metrics.Pusher;
import dev.vigil.metrics.RestartReason;
import dev.vigil.metrics.ServiceSample;
import dev.vigil.metrics.VigilMetrics;
import dev.vigil.supervise.CheckPass;
import dev.vigil.supervise.Phase;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A {@code vigil check} run from cron has no endpoint to scrape, so it pushes what it found to a Pushgateway
 * (job "vigil", instance = this host), replacing what the previous run pushed. The heartbeat tells Prometheus when
 * the last run happened (the shipped rule VigilCheckRunStale fires when runs stop).
 */
public final class CheckPush {
    private CheckPush() {}

    public static String push(List<CheckPass.Finding> findings, URI gateway) throws IOException {
        VigilMetrics metrics = new VigilMetrics(Build.version());
        metrics.heartbeat(Instant.now());
        metrics.update(findings.stream().map(CheckPush::sample).toList());
        for (CheckPass.Finding f : findings) {
            switch (f.verdict()) {
                case REPAIRED ->
                    metrics.restarted(
                            f.service().name(), VigilMetrics.LOCAL_HOST, RestartReason.AUTOSTART, Duration.ZERO);
                case REPAIR_FAILED -> metrics.restartFailed(f.service().name(), VigilMetrics.LOCAL_HOST);
                default -> {}
            }
        }
        Pusher pusher = Pusher.of(metrics, gateway);
        pusher.push();
        return "pushed " + findings.size() + " services to " + pusher.url();
    }

    private static ServiceSample sample(CheckPass.Finding f) {
        boolean up = f.verdict() == CheckPass.Verdict.UP || f.verdict() == CheckPass.Verdict.REPAIRED;
        boolean wanted = f.verdict() != CheckPass.Verdict.LEFT_DOWN_ON_PURPOSE;
        return new ServiceSample(
                f.service().name(), VigilMetrics.LOCAL_HOST, up ? Phase.UP : Phase.DOWN, up, wanted, false);
    }
}
