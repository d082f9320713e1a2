// N SSH "hosts" for bench/fleet-scale, in this one JVM, kept apart from the controller's: one MINA SshServer bound to
// N loopback addresses (127.0.1.1, 127.0.1.2, ...; all of 127/8 is local on Linux) on one port. Each exec request is
// answered in-process (no fork): a Command that writes "active\n" and exits 0.
//
//   java -cp CLASSPATH SshHosts.java --count N --dir DIR
//
// Writes DIR/hosts (one "ADDRESS PORT" a line), DIR/known_hosts (the ed25519 host key for every [ADDRESS]:PORT),
// DIR/id_ed25519 (the only client key let in, OpenSSH format, unencrypted), then "ready" on stdout, and serves until
// stdin closes.
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

public class SshHosts {
    public static void main(String[] args) throws Exception {
        int count = 1000;
        Path dir = Path.of(".");
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--count" -> count = Integer.parseInt(args[i + 1]);
                case "--dir" -> dir = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        KeyPair hostKey = KeyUtils.generateKeyPair("ssh-ed25519", 256);
        KeyPair clientKey = KeyUtils.generateKeyPair("ssh-ed25519", 256);
        try (OutputStream out = Files.newOutputStream(dir.resolve("id_ed25519"))) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(clientKey, "bench", null, out);
        }
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            addresses.add("127.0." + (1 + i / 250) + "." + (1 + i % 250));
        }
        SshServer server = SshServer.setUpDefaultServer();
        server.setHost(String.join(",", addresses));
        server.setPort(0);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        server.setPublickeyAuthenticator((user, key, session) -> KeyUtils.compareKeys(key, clientKey.getPublic()));
        server.setCommandFactory((channel, command) -> new Active());
        server.start();
        int port = server.getPort();
        List<String> hosts = new ArrayList<>();
        List<String> known = new ArrayList<>();
        String key = PublicKeyEntry.toString(hostKey.getPublic());
        for (var bound : server.getBoundAddresses()) {
            var a = (InetSocketAddress) bound;
            hosts.add(a.getAddress().getHostAddress() + " " + a.getPort());
            known.add("[" + a.getAddress().getHostAddress() + "]:" + a.getPort() + " " + key);
        }
        if (hosts.size() != count) {
            throw new IllegalStateException("bound " + hosts.size() + " addresses of " + count + " on port " + port);
        }
        Files.write(dir.resolve("hosts"), hosts, StandardCharsets.UTF_8);
        Files.write(dir.resolve("known_hosts"), known, StandardCharsets.UTF_8);
        System.out.println("ready " + count + " hosts on port " + port);
        System.out.flush();
        while (System.in.read() >= 0) {
            // serve until the driver closes our stdin
        }
        server.stop(true);
    }

    /** "systemctl is-active" for a service that is: no process, no shell. */
    static final class Active implements Command {
        private OutputStream out;
        private ExitCallback exit;

        @Override
        public void setInputStream(java.io.InputStream in) {}

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {}

        @Override
        public void setExitCallback(ExitCallback callback) {
            this.exit = callback;
        }

        @Override
        public void start(ChannelSession channel, Environment env) throws IOException {
            out.write("active\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            exit.onExit(0);
        }

        @Override
        public void destroy(ChannelSession channel) {}
    }
}
