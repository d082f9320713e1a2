package dev.vigil.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.BiFunction;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's Unix socket: one JSON request per connection, one JSON reply. The socket is 0600 (connecting needs
 * write permission, so only the daemon's user and root can talk to it; it is never connectable by others, even in
 * the moment between bind and chmod, since the umask leaves no write bit for them), and a directory created for it
 * is 0700. The peer's user name, read from the kernel (SO_PEERCRED), goes into the event history.
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);
    static final int MAX_REQUEST = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path socket;
    private final ServerSocketChannel server;
    private final Thread acceptor;
    private volatile boolean closed;

    /**
     * Binds {@code socket} and starts answering with {@code handler(request, peerUser)}.
     *
     * @throws IOException when the socket cannot be bound (another daemon owns it, or no permission)
     */
    public ControlServer(Path socket, BiFunction<JsonNode, String, JsonNode> handler) throws IOException {
        this.socket = socket;
        Path dir = socket.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            // a directory we create is ours alone; an existing one (say /run) is left as its owner set it
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
        Files.deleteIfExists(socket); // a socket left by a daemon that died; the daemon lock says none runs now
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        this.acceptor = Thread.ofVirtual().name("vigil-control-accept").start(() -> accept(handler));
    }

    public Path socket() {
        return socket;
    }

    private void accept(BiFunction<JsonNode, String, JsonNode> handler) {
        while (!closed) {
            try {
                SocketChannel client = server.accept();
                Thread.ofVirtual().name("vigil-control").start(() -> serve(client, handler));
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("control socket {}: accept failed: {}", socket, e.getMessage());
                }
            }
        }
    }

    private static void serve(SocketChannel client, BiFunction<JsonNode, String, JsonNode> handler) {
        try (client) {
            String peer = peerUser(client);
            byte[] request = readLine(client);
            JsonNode reply;
            try {
                reply = handler.apply(JSON.readTree(request), peer);
            } catch (IOException | RuntimeException e) {
                ObjectNode error = JSON.createObjectNode();
                error.put("ok", false);
                error.put("error", "bad request: " + e.getMessage());
                reply = error;
            }
            byte[] bytes = (JSON.writeValueAsString(reply) + "\n").getBytes(StandardCharsets.UTF_8);
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                client.write(buffer);
            }
        } catch (IOException e) {
            LOG.debug("control client went away: {}", e.getMessage());
        }
    }

    private static String peerUser(SocketChannel client) {
        try {
            UnixDomainPrincipal principal = client.getOption(ExtendedSocketOptions.SO_PEERCRED);
            return principal.user().getName();
        } catch (IOException | UnsupportedOperationException e) {
            return "unknown";
        }
    }

    static byte[] readLine(SocketChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(MAX_REQUEST);
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer);
            if (n < 0) {
                break;
            }
            byte[] seen = buffer.array();
            for (int i = buffer.position() - n; i < buffer.position(); i++) {
                if (seen[i] == '\n') {
                    return java.util.Arrays.copyOf(seen, i);
                }
            }
        }
        if (!buffer.hasRemaining()) {
            throw new IOException("message longer than " + MAX_REQUEST + " bytes");
        }
        return java.util.Arrays.copyOf(buffer.array(), buffer.position());
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.warn("control socket {}: {}", socket, e.getMessage());
        }
        acceptor.interrupt();
    }
}
