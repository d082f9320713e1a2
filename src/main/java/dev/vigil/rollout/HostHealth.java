package dev.vigil.rollout;

/**
 * A host's health as observed right now: all of the rollout's {@code healthy} units active.
 *
 * @param reachable false when the host could not be asked: it then counts as not healthy
 * @param detail each unit's state, or why the host could not be asked
 */
public record HostHealth(String host, boolean healthy, boolean reachable, String detail) {}
