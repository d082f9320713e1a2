package dev.vigil.check;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/** A TCP connect, closed at once: the port accepts connections. Nothing is sent. */
record TcpCheck(CheckSpec.Tcp spec) implements Check {

    @Override
    public CheckResult run(CheckTarget target) {
        String where = spec.host() + ":" + spec.port();
        Duration timeout = spec.common().timeout();
        long began = System.nanoTime();
        InetSocketAddress address = new InetSocketAddress(spec.host(), spec.port());
        if (address.isUnresolved()) {
            return new CheckResult.Unhealthy("connect to " + where + ": cannot resolve host " + spec.host());
        }
        try (Socket socket = new Socket()) {
            socket.connect(address, (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
            return new CheckResult.Healthy(
                    "connected to " + where + " in " + Describe.duration(Duration.ofNanos(System.nanoTime() - began)));
        } catch (SocketTimeoutException e) {
            return new CheckResult.Unhealthy("connect to " + where + " timed out after " + Describe.duration(timeout));
        } catch (ConnectException e) {
            return new CheckResult.Unhealthy("connect to " + where + " refused");
        } catch (IOException e) {
            return new CheckResult.Unhealthy("connect to " + where + " failed: " + Describe.failure(e));
        }
    }
}
