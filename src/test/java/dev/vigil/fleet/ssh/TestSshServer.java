package dev.vigil.fleet.ssh;

import java.io.IOException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelListener;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.command.CommandFactory;
import org.apache.sshd.server.shell.ProcessShellFactory;

/**
 * An in-process SSH server on 127.0.0.1 for tests: real local commands run by /bin/sh -c as the test user (MINA's
 * ProcessShellCommandFactory splits on blanks, which would not test quoting), only the given client keys let in,
 * and counters for sessions and concurrent channels.
 */
public final class TestSshServer implements AutoCloseable {
    final SshServer server = SshServer.setUpDefaultServer();
    public final KeyPair hostKey;
    final AtomicInteger sessionsCreated = new AtomicInteger();
    final AtomicInteger sessionsOpen = new AtomicInteger();
    final AtomicInteger channelsOpen = new AtomicInteger();
    final AtomicInteger maxChannelsOpen = new AtomicInteger();
    final List<String> commands = new CopyOnWriteArrayList<>();

    /** Runs each command through /bin/sh -c, as an OpenSSH server does with the user's shell. */
    public static final CommandFactory SHELL = (channel, command) ->
            new ProcessShellFactory(command, List.of("/bin/sh", "-c", command)).createShell(channel);

    TestSshServer(KeyPair hostKey, List<PublicKey> authorized) throws IOException {
        this(hostKey, authorized, SHELL);
    }

    public TestSshServer(KeyPair hostKey, List<PublicKey> authorized, CommandFactory commands) throws IOException {
        this.hostKey = hostKey;
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        server.setPublickeyAuthenticator(
                (user, key, session) -> authorized.stream().anyMatch(k -> KeyUtils.compareKeys(k, key)));
        server.setCommandFactory((channel, command) -> {
            this.commands.add(command);
            return commands.createCommand(channel, command);
        });
        server.addSessionListener(new SessionListener() {
            @Override
            public void sessionCreated(Session session) {
                sessionsCreated.incrementAndGet();
                sessionsOpen.incrementAndGet();
            }

            @Override
            public void sessionClosed(Session session) {
                sessionsOpen.decrementAndGet();
            }
        });
        server.addChannelListener(new ChannelListener() {
            @Override
            public void channelOpenSuccess(Channel channel) {
                maxChannelsOpen.accumulateAndGet(channelsOpen.incrementAndGet(), Math::max);
            }

            @Override
            public void channelClosed(Channel channel, Throwable reason) {
                channelsOpen.decrementAndGet();
            }
        });
        server.start();
    }

    public int port() {
        return server.getPort();
    }

    /** Drops every connection, as a restarted sshd or a NAT timeout would. */
    void closeAllSessions() {
        server.getActiveSessions().forEach(s -> s.close(true));
    }

    /**
     * Runs each command through /bin/sh -c with {@code env} (VAR=value words, no blanks or quotes in them) exported
     * first. (MINA runs the command string given to the factory by /bin/sh -c; its argv elements are not used.)
     */
    public static CommandFactory shellWith(List<String> env) {
        return (channel, command) -> {
            String full = "export " + String.join(" ", env) + "; " + command;
            return new ProcessShellFactory(full, List.of("/bin/sh", "-c", full)).createShell(channel);
        };
    }

    /** The known_hosts line for this server on 127.0.0.1, as ssh-keyscan would print it. */
    public String knownHostsLine() {
        return "[127.0.0.1]:" + port() + " "
                + org.apache.sshd.common.config.keys.PublicKeyEntry.toString(hostKey.getPublic());
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }
}
