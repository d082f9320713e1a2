package dev.vigil.testfleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** LatencyProxy against a local echo server: a round trip costs twice the one-way delay; data and EOF pass. */
class LatencyProxyTest {
    private ServerSocket echo;

    @BeforeEach
    void startEcho() throws Exception {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket s = echo.accept();
                    Thread.ofVirtual().start(() -> {
                        try (s;
                                InputStream in = s.getInputStream();
                                OutputStream out = s.getOutputStream()) {
                            in.transferTo(out);
                        } catch (Exception e) {
                            // client gone
                        }
                    });
                } catch (Exception e) {
                    return;
                }
            }
        });
    }

    @AfterEach
    void stopEcho() throws Exception {
        echo.close();
    }

    private static long roundTripMillis(InetSocketAddress address, byte[] payload) throws Exception {
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            s.connect(address);
            long start = System.nanoTime();
            s.getOutputStream().write(payload);
            byte[] back = new byte[payload.length];
            new DataInputStream(s.getInputStream()).readFully(back);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(back).isEqualTo(payload);
            s.shutdownOutput();
            assertThat(s.getInputStream().read()).as("EOF passes through").isEqualTo(-1);
            return millis;
        }
    }

    @Test
    void roundTrip_takesTwiceTheDelay_andDataArrivesIntact() throws Exception {
        InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), echo.getLocalPort());
        try (LatencyProxy proxy = LatencyProxy.start(target, Duration.ofMillis(150))) {
            byte[] payload = "hello through the proxy".getBytes();
            assertThat(roundTripMillis(proxy.address(), payload)).isBetween(300L, 1500L);

            proxy.setDelay(Duration.ZERO);
            assertThat(roundTripMillis(proxy.address(), new byte[200_000])).isLessThan(300L);
        }
    }

    @Test
    void close_stopsListening() throws Exception {
        InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), echo.getLocalPort());
        LatencyProxy proxy = LatencyProxy.start(target, Duration.ofMillis(10));
        InetSocketAddress address = proxy.address();
        proxy.close();
        // the JDK may finish closing a socket that a (virtual) thread is blocked in accept() on a moment later
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> {
            try (Socket s = new Socket()) {
                s.connect(address, 1000);
                return false;
            } catch (java.io.IOException refused) {
                return true;
            }
        });
    }
}
