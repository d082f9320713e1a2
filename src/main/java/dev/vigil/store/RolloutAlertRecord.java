package dev.vigil.store;

import java.time.Instant;

/** An alert of a rollout that fires: its name ({@code alertname}), the host it is about, since when. */
public record RolloutAlertRecord(String alert, String host, String summary, Instant since) {}
