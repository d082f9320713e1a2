package dev.vigil.fleet.ssh;

import java.util.concurrent.CompletableFuture;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.session.Session;

/**
 * One connect in progress, carried in the session's connection context: the target (for the host key verifier),
 * the first key exchange's completion, and why a host key was refused. It lives in the context rather than in
 * session attributes because MINA clears those as the session closes, which is just when we read them.
 */
final class ConnectAttempt {
    private static final AttributeKey<ConnectAttempt> KEY = new AttributeKey<>();

    final SshTarget target;
    final CompletableFuture<Void> keysEstablished = new CompletableFuture<>();
    private volatile String rejection;

    ConnectAttempt(SshTarget target) {
        this.target = target;
    }

    AttributeRepository context() {
        return AttributeRepository.ofKeyValuePair(KEY, this);
    }

    /** The attempt that opened {@code session}, or null for a session Vigil did not open. */
    static ConnectAttempt of(Session session) {
        AttributeRepository context =
                session instanceof org.apache.sshd.client.session.ClientSession c ? c.getConnectionContext() : null;
        return context == null ? null : context.getAttribute(KEY);
    }

    void refuseHostKey(String why) {
        rejection = why;
    }

    String hostKeyRejection() {
        return rejection;
    }
}
