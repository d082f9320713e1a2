package dev.vigil.testfleet;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP forwarder that adds a one-way delay to every chunk, in both directions: this kernel has no sch_netem, so
 * latency to a fleet host is simulated in user space. Listens on an ephemeral port of a local address (127.0.0.1 by
 * default, or the fleet's bridge address) and forwards each connection to a target such as HOST:22. Chunks are
 * delayed, not the stream throttled: a chunk read at time t is written at t + delay, so latency does not cap
 * bandwidth. Virtual threads; closing stops the listener and every connection.
 */
public final class LatencyProxy implements AutoCloseable {
    private static final byte[] EOF = new byte[0];

    private record Chunk(long dueNanos, byte[] data) {}

    private final ServerSocket server;
    private final Thread acceptor;
    private final InetSocketAddress target;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile long delayNanos;

    /** A proxy on 127.0.0.1 to TARGET with DELAY each way. */
    public static LatencyProxy start(InetSocketAddress target, Duration delay) throws IOException {
        return new LatencyProxy(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), target, delay);
    }

    /** A proxy to HOST's sshd (address:port) with DELAY each way, on 127.0.0.1. */
    public static LatencyProxy toSsh(TestFleet.Host host, Duration delay) throws IOException {
        return start(new InetSocketAddress(host.address(), host.port()), delay);
    }

    public LatencyProxy(InetSocketAddress listen, InetSocketAddress target, Duration delay) throws IOException {
        this.target = target;
        setDelay(delay);
        this.server = new ServerSocket();
        server.bind(listen);
        acceptor = Thread.ofVirtual().name("latency-proxy-accept-" + port()).start(this::accept);
    }

    /** The address and port to connect to instead of the target. */
    public InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Changes the one-way delay for chunks read from now on. */
    public void setDelay(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("negative delay: " + delay);
        }
        this.delayNanos = delay.toNanos();
    }

    public Duration delay() {
        return Duration.ofNanos(delayNanos);
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            Thread.ofVirtual().start(() -> connect(client));
        }
    }

    private void connect(Socket client) {
        sockets.add(client);
        Socket upstream = new Socket();
        sockets.add(upstream);
        try {
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
            upstream.connect(target, 10_000);
        } catch (IOException e) {
            closeQuietly(client);
            closeQuietly(upstream);
            return;
        }
        AtomicInteger open = new AtomicInteger(2);
        Runnable done = () -> {
            if (open.decrementAndGet() == 0) {
                closeQuietly(client);
                closeQuietly(upstream);
            }
        };
        pipe(client, upstream, done);
        pipe(upstream, client, done);
    }

    /** Two virtual threads per direction: a reader stamps chunks, a writer writes each when it is due. */
    private void pipe(Socket from, Socket to, Runnable done) {
        BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = from.getInputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    queue.add(new Chunk(System.nanoTime() + delayNanos, Arrays.copyOf(buf, n)));
                }
            } catch (IOException e) {
                // the connection ended
            } finally {
                queue.add(new Chunk(System.nanoTime() + delayNanos, EOF));
            }
        });
        Thread.ofVirtual().start(() -> {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Chunk c = queue.take();
                    long wait = c.dueNanos() - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(Duration.ofNanos(wait)); // the delay itself, not synchronisation
                    }
                    if (c.data() == EOF) {
                        to.shutdownOutput();
                        break;
                    }
                    out.write(c.data());
                    out.flush();
                }
                done.run();
            } catch (IOException | InterruptedException e) {
                closeQuietly(from);
                closeQuietly(to);
            }
        });
    }

    private void closeQuietly(Socket s) {
        sockets.remove(s);
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        // A socket closed while a virtual thread is blocked in accept() is released only when that thread has run
        // again: until then the port still accepts connections (seen under load, LatencyProxyTest). Wait for it.
        try {
            acceptor.join(java.time.Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Socket s : sockets) {
            closeQuietly(s);
        }
    }
}
