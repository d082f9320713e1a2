package dev.vigil.cli;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Real programs a black-box test runs beside Vigil (Prometheus, Alertmanager, the Pushgateway, the daemon), on
 * loopback ports it picks, stopped (SIGTERM, newest first) by {@link #stopAll}.
 */
final class LocalServers {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final List<Process> processes = new ArrayList<>();

    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static String get(String url) throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** Starts {@code argv} with stdout and stderr in {@code log}. */
    Process start(Path log, String... argv) throws Exception {
        Process p = new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        processes.add(p);
        return p;
    }

    void stopAll() throws InterruptedException {
        for (Process p : processes.reversed()) {
            p.destroy();
            p.waitFor();
        }
    }
}
