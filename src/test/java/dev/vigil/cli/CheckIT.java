package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** vigil check from cron: exit codes that say what was down, repairs, a remembered stop, and a Pushgateway push. */
class CheckIT {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path home;

    private Path config;
    private Process gateway;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.destroy();
            gateway.waitFor();
        }
        if (config != null) {
            Launcher.vigil(home, "-c", config.toString(), "stop", "all");
        }
    }

    private Launcher.Result vigil(String... args) throws Exception {
        String[] full = new String[args.length + 2];
        full[0] = "-c";
        full[1] = config.toString();
        System.arraycopy(args, 0, full, 2, args.length);
        return Launcher.vigil(home, full);
    }

    @Test
    void check_reportsDown_repairs_leavesAPersonsStopAlone_andPushes() throws Exception {
        long marker = ProcessHandle.current().pid() * 10 + 5;
        config = home.resolve("vigil.toml");
        Files.writeString(config, """
                state_dir = "%s"
                [service.web]
                command = ["/bin/sleep", "%d"]
                success_seconds = "0.2s"
                [service.batch]
                command = ["/bin/sleep", "%d"]
                success_seconds = "0.2s"
                """.formatted(home.resolve("state"), marker, marker + 1));
        assertThat(vigil("stop", "batch").exitCode()).isZero(); // a person's stop, remembered

        Launcher.Result look = vigil("check");
        assertThat(look.exitCode()).as(look.toString()).isEqualTo(7);
        assertThat(look.out()).contains("web: stopped").contains("batch: stopped on purpose (by cli:");

        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        gateway = new ProcessBuilder("/usr/bin/prometheus-pushgateway", "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("pushgateway.log").toFile())
                .start();
        String metrics = "http://127.0.0.1:" + port + "/metrics";
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> get(metrics)
                .contains("pushgateway"));

        Launcher.Result repair = vigil("check", "--repair", "--push", "http://127.0.0.1:" + port);
        assertThat(repair.exitCode()).as(repair.toString()).isEqualTo(1);
        assertThat(repair.out()).contains("web: stopped").contains("repaired: web: started, pid");
        assertThat(get(metrics)).containsPattern("vigil_service_up\\{[^}]*job=\"vigil\"[^}]*service=\"web\"[^}]*} 1");

        Launcher.Result again = vigil("check");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).contains("web: running, pid");
    }

    private static String get(String url) throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
