package dev.vigil.check;

/**
 * One health check of one service, built from its {@link CheckSpec} by {@link Checks#of}. Reuse the instance for
 * every run of that service's check: a CPU rate check keeps its previous sample in it.
 *
 * <p>Implementations bound their own blocking work by the spec's timeout and report failures as {@link
 * CheckResult.Unhealthy}; {@link CheckRunner} is the net for the ones that do not.
 */
@FunctionalInterface
public interface Check {
    CheckResult run(CheckTarget target);
}
