package dev.vigil.fleet.ssh;

import dev.vigil.shell.CommandResult;
import dev.vigil.shell.ExitStatus;
import dev.vigil.shell.Shell;
import dev.vigil.shell.ShellQuoting;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.util.buffer.Buffer;

/**
 * Runs commands on one host through an exec channel of its pooled session. The argv is quoted into one command
 * string, since SSH carries a string that the remote user's shell parses. The timeout bounds the whole command
 * (channel open, run, exit status), not just the reads; a command still running then gets a "signal KILL" request
 * (honoured by OpenSSH 7.9+ servers) and its channel is closed.
 */
public final class SshShell implements Shell {
    static final List<String> SUDO = List.of("sudo", "-n", "--");

    private final SshTarget target;
    private final SessionPool pool;
    /** Whether privileged commands go through sudo ({@code [ssh] sudo}). */
    private final boolean sudoForPrivileged;
    /** Whether this shell's commands do. */
    private final boolean sudo;

    /** How long an open session may take to answer a channel open before the host counts as unreachable. */
    private final Duration answerBound;

    SshShell(SshTarget target, SessionPool pool, boolean sudoForPrivileged, Duration answerBound) {
        this(target, pool, sudoForPrivileged, false, answerBound);
    }

    private SshShell(
            SshTarget target, SessionPool pool, boolean sudoForPrivileged, boolean sudo, Duration answerBound) {
        this.target = target;
        this.pool = pool;
        this.sudoForPrivileged = sudoForPrivileged;
        this.sudo = sudo;
        this.answerBound = answerBound;
    }

    /** What an exec attempt came to: a result, or a session that died before the command could start. */
    private sealed interface Attempt {
        record Done(ExitStatus status, String stdout, String stderr) implements Attempt {}

        record SessionLost() implements Attempt {}
    }

    /** With {@code sudo = true}: the same host, every command through {@code sudo -n} (never prompts). */
    @Override
    public Shell privileged() {
        return sudo || !sudoForPrivileged ? this : new SshShell(target, pool, true, true, answerBound);
    }

    @Override
    public CommandResult run(List<String> argv, Duration timeout) {
        long began = System.nanoTime();
        long deadline = began + timeout.toNanos();
        String command = commandLine(argv);
        // a session may die between its last use and this one without us noticing yet: one fresh try, before the
        // command has started, so nothing runs twice
        for (int attempt = 0; ; attempt++) {
            SessionPool.Pooled pooled;
            try {
                pooled = pool.acquire(target);
            } catch (HostUnreachableException e) {
                return result(new Attempt.Done(new ExitStatus.Unreachable(e.getMessage()), "", ""), began);
            }
            Attempt outcome;
            try {
                outcome = exec(pooled.session, command, timeout, deadline);
            } finally {
                pooled.release();
            }
            if (outcome instanceof Attempt.Done done) {
                return result(done, began);
            }
            pool.discard(target, pooled);
            if (attempt > 0) {
                return result(
                        new Attempt.Done(
                                new ExitStatus.Unreachable("the SSH session to " + target.describe()
                                        + " closed as a command was being started, twice in a row"),
                                "",
                                ""),
                        began);
            }
        }
    }

    String commandLine(List<String> argv) {
        if (!sudo) {
            return ShellQuoting.join(argv);
        }
        List<String> words = new ArrayList<>(SUDO);
        words.addAll(argv);
        return ShellQuoting.join(words);
    }

    private Attempt exec(ClientSession session, String command, Duration timeout, long deadline) {
        BoundedOutput out = new BoundedOutput();
        BoundedOutput err = new BoundedOutput();
        ChannelExec channel;
        try {
            channel = session.createExecChannel(command);
        } catch (IOException | IllegalStateException e) {
            return new Attempt.SessionLost();
        }
        channel.setOut(out);
        channel.setErr(err);
        try {
            OpenFuture open = channel.open();
            // A channel open is one round trip that does not depend on the command: a host that does not answer it
            // within the connect timeout is gone (network cut, host down), however long the command may run.
            Duration wait = remaining(deadline);
            if (!open.await(wait.compareTo(answerBound) < 0 ? wait : answerBound)) {
                if (remaining(deadline).compareTo(Duration.ofMillis(1)) <= 0) {
                    return timedOut(channel, timeout, out, err);
                }
                channel.close(true);
                session.close(true);
                return new Attempt.Done(
                        new ExitStatus.Unreachable(target.describe() + " did not answer on its open SSH session within "
                                + answerBound.toMillis() / 1000.0 + "s (connect_timeout): network cut or host down?"),
                        "",
                        "");
            }
            if (!open.isOpened()) {
                if (!session.isOpen()) {
                    return new Attempt.SessionLost();
                }
                Throwable why = open.getException();
                return new Attempt.Done(
                        new ExitStatus.LaunchFailed("the SSH server refused an exec channel: "
                                + (why == null ? "no reason given" : why.getMessage())),
                        "",
                        "");
            }
            // stdin is empty: a remote command that reads it gets end-of-file at once instead of hanging
            channel.getInvertedIn().close();
            Set<ClientChannelEvent> events =
                    channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), remaining(deadline));
            if (!events.contains(ClientChannelEvent.CLOSED)) {
                return timedOut(channel, timeout, out, err);
            }
            return new Attempt.Done(
                    RemoteExit.decode(channel.getExitStatus(), channel.getExitSignal()), out.text(), err.text());
        } catch (IOException e) {
            if (!session.isOpen() && channel.getExitStatus() == null) {
                return new Attempt.Done(
                        new ExitStatus.LaunchFailed("the SSH connection to " + target.describe()
                                + " was lost while the command ran: " + e.getMessage()),
                        out.text(),
                        err.text());
            }
            return new Attempt.Done(new ExitStatus.LaunchFailed(e.getMessage()), out.text(), err.text());
        } finally {
            channel.close(true);
        }
    }

    private static Attempt timedOut(ChannelExec channel, Duration timeout, BoundedOutput out, BoundedOutput err) {
        signalKill(channel);
        channel.close(true);
        return new Attempt.Done(new ExitStatus.TimedOut(timeout), out.text(), err.text());
    }

    /** RFC 4254 6.9 "signal" request; MINA's client has no method for it. Best effort: the close follows anyway. */
    private static void signalKill(ChannelExec channel) {
        try {
            if (channel.isOpen() && channel.getRecipient() >= 0) {
                Buffer buffer = channel.getSession().createBuffer(SshConstants.SSH_MSG_CHANNEL_REQUEST, 32);
                buffer.putUInt(channel.getRecipient());
                buffer.putString("signal");
                buffer.putBoolean(false);
                buffer.putString("KILL");
                channel.writePacket(buffer);
            }
        } catch (IOException | RuntimeException e) {
            // the channel is closed next; a server that ignores signals ends the command when its channel goes
        }
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
    }

    private static CommandResult result(Attempt.Done done, long began) {
        return new CommandResult(
                done.status(), done.stdout(), done.stderr(), Duration.ofNanos(System.nanoTime() - began));
    }

    @Override
    public String where() {
        return target.name();
    }
}
