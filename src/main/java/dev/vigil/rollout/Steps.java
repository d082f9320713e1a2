package dev.vigil.rollout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The steps presets stand for, and how durations are shown in plans. */
public final class Steps {
    public static final String XROOTD = "xrootd";
    public static final String CMSD_UNIT = "cmsd@cluster.service";
    public static final String XROOTD_UNIT = "xrootd@cluster.service";
    /** XRootDRestart's cmsd_wait and service_timeout. */
    public static final Duration CMSD_WAIT = Duration.ofSeconds(300);

    public static final Duration SERVICE_TIMEOUT = Duration.ofSeconds(120);
    static final Duration DRAIN_INTERVAL = Duration.ofSeconds(2);

    private Steps() {}

    /**
     * XRootDRestart's sequence: stop cmsd (the redirector stops sending clients here), wait cmsd_wait (or until no
     * connection is established on drain_port, at most cmsd_wait), restart xrootd, start cmsd.
     */
    public static List<Step> xrootd(
            String cmsd, String xrootd, Duration cmsdWait, Optional<Integer> drainPort, Duration serviceTimeout) {
        List<Step> steps = new ArrayList<>();
        steps.add(new Step.Stop(cmsd, serviceTimeout));
        steps.add(drainPort
                .<Step>map(port -> new Step.UntilNoConnections(port, cmsdWait, DRAIN_INTERVAL))
                .orElseGet(() -> new Step.Wait(cmsdWait)));
        steps.add(new Step.Restart(xrootd, serviceTimeout));
        steps.add(new Step.Start(cmsd, serviceTimeout));
        return steps;
    }

    static String shown(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
}
