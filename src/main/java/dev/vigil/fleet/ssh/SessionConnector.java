package dev.vigil.fleet.ssh;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.future.AuthFuture;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;

/**
 * Opens one authenticated session: TCP connect and key exchange together within the connect timeout (a server that
 * accepts the connection but never speaks SSH must not hold us), then public-key authentication within the auth
 * timeout. Every failure becomes a {@link HostUnreachableException} that names the host, what failed and what to do.
 */
final class SessionConnector {
    private static final String CHECK_ADDRESS = "check the inventory's address and port and the network";

    private final SshClient client;
    private final ClientKeys keys;
    private final Duration connectTimeout;
    private final Duration authTimeout;

    SessionConnector(SshClient client, ClientKeys keys, SshSettings settings) {
        this.client = client;
        this.keys = keys;
        this.connectTimeout = settings.connectTimeout();
        this.authTimeout = settings.authTimeout();
        client.addSessionListener(new KeyExchangeWatcher());
    }

    ClientSession connect(SshTarget target) throws HostUnreachableException {
        List<KeyPair> identities = keys.identities(target);
        long deadline = System.nanoTime() + connectTimeout.toNanos();
        ConnectAttempt attempt = new ConnectAttempt(target);
        ClientSession session = openTcp(attempt);
        try {
            awaitKeyExchange(attempt, deadline);
            authenticate(session, target, identities);
            return session;
        } catch (HostUnreachableException | RuntimeException e) {
            session.close(true);
            throw e;
        }
    }

    private ClientSession openTcp(ConnectAttempt attempt) throws HostUnreachableException {
        SshTarget target = attempt.target;
        ConnectFuture future;
        try {
            future = client.connect(target.user(), target.address(), target.port(), attempt.context(), null);
        } catch (Exception e) {
            throw new HostUnreachableException(failed(target, "cannot connect", e) + "; " + CHECK_ADDRESS);
        }
        boolean done;
        try {
            done = future.await(connectTimeout);
        } catch (Exception e) {
            done = false;
        }
        if (!done) {
            future.cancel();
            throw new HostUnreachableException("cannot connect to " + target.describe() + ": no answer within "
                    + seconds(connectTimeout) + " (connect_timeout); check that the host is up and that no firewall"
                    + " drops port " + target.port());
        }
        if (future.getException() != null) {
            Throwable e = rootCause(future.getException());
            String hint = e instanceof ConnectException
                    ? "check that sshd runs there and that the inventory's address and port are right"
                    : CHECK_ADDRESS;
            throw new HostUnreachableException(failed(target, "cannot connect", e) + "; " + hint);
        }
        return future.getSession();
    }

    private void awaitKeyExchange(ConnectAttempt attempt, long deadline) throws HostUnreachableException {
        SshTarget target = attempt.target;
        try {
            attempt.keysEstablished.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new HostUnreachableException(target.describe() + " accepted the TCP connection but the SSH key"
                    + " exchange did not finish within " + seconds(connectTimeout) + " (connect_timeout); check that"
                    + " port " + target.port() + " is an SSH server and that the host is not overloaded");
        } catch (ExecutionException e) {
            throw new HostUnreachableException(keyExchangeFailure(attempt, e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostUnreachableException("interrupted while connecting to " + target.describe());
        }
    }

    private static String keyExchangeFailure(ConnectAttempt attempt, Throwable cause) {
        String rejection = attempt.hostKeyRejection();
        if (rejection != null) {
            return rejection;
        }
        return failed(attempt.target, "SSH key exchange failed", rootCause(cause))
                + "; the server may offer none of the algorithms Vigil allows"
                + " (curve25519/ecdh key exchange, ed25519/ecdsa/rsa-sha2 host keys, chacha20/aes-gcm/aes-ctr)";
    }

    private void authenticate(ClientSession session, SshTarget target, List<KeyPair> identities)
            throws HostUnreachableException {
        identities.forEach(session::addPublicKeyIdentity);
        boolean done;
        AuthFuture auth;
        try {
            auth = session.auth();
            done = auth.await(authTimeout);
        } catch (Exception e) {
            throw new HostUnreachableException(failed(target, "authentication failed", rootCause(e)));
        }
        if (!done) {
            throw new HostUnreachableException("authentication as " + target.user() + " to " + target.describe()
                    + " did not finish within " + seconds(authTimeout) + " (auth_timeout)");
        }
        if (!auth.isSuccess()) {
            String keyFiles = target.keys().isEmpty()
                    ? "the default ~/.ssh keys"
                    : target.keys().toString();
            throw new HostUnreachableException(target.describe() + " refused our public key(s) " + keyFiles
                    + " for user " + target.user() + "; add the matching .pub to ~" + target.user()
                    + "/.ssh/authorized_keys on the host, or set the host's user or key in the inventory");
        }
    }

    private static String failed(SshTarget target, String what, Throwable e) {
        String detail = e instanceof UnknownHostException || e instanceof UnresolvedAddressException
                ? "unknown host name " + target.address()
                : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return what + " to " + target.describe() + ": " + detail;
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    static String seconds(Duration d) {
        return d.toMillis() / 1000.0 + "s";
    }

    /** Tracks each session's first key exchange through MINA's session events. */
    private static final class KeyExchangeWatcher implements SessionListener {
        @Override
        public void sessionEvent(Session session, Event event) {
            if (event == Event.KeyEstablished) {
                future(session).complete(null);
            }
        }

        @Override
        public void sessionException(Session session, Throwable t) {
            future(session).completeExceptionally(t);
        }

        @Override
        public void sessionClosed(Session session) {
            future(session).completeExceptionally(new java.io.EOFException("the server closed the connection"));
        }

        private static CompletableFuture<Void> future(Session session) {
            ConnectAttempt attempt = ConnectAttempt.of(session);
            return attempt != null ? attempt.keysEstablished : new CompletableFuture<>();
        }
    }
}
