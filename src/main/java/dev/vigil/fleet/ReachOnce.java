package dev.vigil.fleet;

import dev.vigil.shell.CommandResult;
import dev.vigil.shell.ExitStatus;
import dev.vigil.shell.Shell;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A host's shell for one pass over its services: once a command finds the host unreachable, every later command of
 * the pass returns that at once instead of waiting for another connect timeout per service.
 */
final class ReachOnce implements Shell {
    private final Shell shell;
    /** The verdict, shared with the privileged twin: one host, one answer. */
    private final java.util.concurrent.atomic.AtomicReference<String> unreachable;

    ReachOnce(Shell shell) {
        this(shell, new java.util.concurrent.atomic.AtomicReference<>());
    }

    private ReachOnce(Shell shell, java.util.concurrent.atomic.AtomicReference<String> unreachable) {
        this.shell = shell;
        this.unreachable = unreachable;
    }

    @Override
    public Shell privileged() {
        Shell inner = shell.privileged();
        return inner == shell ? this : new ReachOnce(inner, unreachable);
    }

    @Override
    public CommandResult run(List<String> argv, Duration timeout) {
        String known = unreachable.get();
        if (known != null) {
            return new CommandResult(new ExitStatus.Unreachable(known), "", "", Duration.ZERO);
        }
        CommandResult result = shell.run(argv, timeout);
        if (result.status() instanceof ExitStatus.Unreachable(String reason)) {
            unreachable.compareAndSet(null, reason);
        }
        return result;
    }

    @Override
    public String where() {
        return shell.where();
    }

    /** Why the host could not be reached in this pass; empty when it could (or nothing was tried). */
    Optional<String> unreachable() {
        return Optional.ofNullable(unreachable.get());
    }
}
