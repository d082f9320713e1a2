package dev.vigil.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The CLI's side of the control socket. */
public final class ControlClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path socket;

    public ControlClient(Path socket) {
        this.socket = socket;
    }

    /** Whether a daemon answers on the socket now (a socket file left by a dead daemon does not count). */
    public boolean daemonRunning() {
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            return channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Sends {@code request} and waits at most {@code bound} for the reply.
     *
     * @return empty when no daemon listens on the socket
     * @throws IOException when a daemon was reached but the exchange failed or took longer than {@code bound}
     */
    public Optional<JsonNode> send(JsonNode request, Duration bound) throws IOException {
        SocketChannel channel;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            return Optional.empty();
        }
        try (channel;
                var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            byte[] bytes = (JSON.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8);
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            Future<byte[]> reply = executor.submit(() -> ControlServer.readLine(channel));
            try {
                return Optional.of(JSON.readTree(reply.get(bound.toMillis(), TimeUnit.MILLISECONDS)));
            } catch (TimeoutException e) {
                reply.cancel(true);
                throw new IOException(
                        "the daemon did not answer within " + bound.toSeconds() + "s (socket " + socket + ")");
            } catch (ExecutionException e) {
                throw new IOException("talking to the daemon on " + socket + " failed: "
                        + e.getCause().getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the daemon");
            }
        }
    }
}
