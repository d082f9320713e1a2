package dev.vigil.store;

import java.time.Instant;
import java.util.Optional;

/** Why a rollout is paused; lifted at {@code resumeAt} (on_failure = "next-window"), else only by a person. */
public record RolloutPause(String reason, Instant since, Optional<Instant> resumeAt) {}
