package dev.vigil.testfleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Brings a test fleet up once per test JVM (in the root store, so JUnit tears it down after all classes) and undoes
 * the faults a test injected after each test. A test gets the fleet as a {@link TestFleet} parameter. Tests using it
 * carry {@code @Tag("fleet")}.
 *
 * <p>A machine that cannot host a fleet (not root, no base root and none can be built) fails the tests with the
 * reason: CI must run them, so they are never skipped silently. System properties: {@code vigil.testfleet.dir}
 * (default /run/vigil-testfleet), {@code vigil.testfleet.hosts} (default 5). A fleet already up in that directory
 * (for example by hand, {@code testfleet/fleet up}) is used and left up.
 */
public final class TestFleetExtension implements BeforeAllCallback, AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TestFleet.class);

    /** The JVM's fleet; closed by JUnit when the root store closes, after all test classes. */
    static final class Fleet implements AutoCloseable {
        final TestFleet fleet;
        final boolean owned;

        Fleet(TestFleet fleet, boolean owned) {
            this.fleet = fleet;
            this.owned = owned;
        }

        @Override
        public void close() {
            if (!owned) {
                return;
            }
            long start = System.nanoTime();
            TestFleet.Result r =
                    TestFleet.fleet(List.of("down", "--dir", fleet.dir().toString()));
            System.err.printf(
                    "testfleet: down in %.1f s (exit %d)%n%s",
                    (System.nanoTime() - start) / 1e9, r.exitCode(), r.output());
            if (!r.ok()) {
                throw new IllegalStateException("testfleet/fleet down failed; leftovers:\n" + r.output());
            }
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        fleet(context);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        fleet(context).resetFaults();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestFleet.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return fleet(context);
    }

    private static TestFleet fleet(ExtensionContext context) {
        return context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(Fleet.class, k -> bringUp(), Fleet.class)
                .fleet;
    }

    private static Fleet bringUp() {
        Path dir = Path.of(System.getProperty("vigil.testfleet.dir", TestFleet.DEFAULT_DIR.toString()));
        String hosts = System.getProperty("vigil.testfleet.hosts", "5");
        requireRoot();
        if (Files.exists(dir.resolve("fleet.json"))) {
            TestFleet fleet = TestFleet.load(dir);
            for (TestFleet.Host h : fleet.hosts()) {
                if (!isSystemd(h.systemdPid())) {
                    throw new IllegalStateException("a stale fleet is in " + dir + " (" + h.name()
                            + "'s systemd is gone): run 'testfleet/fleet down --dir " + dir + "'");
                }
            }
            System.err.println("testfleet: using the fleet already up in " + dir + " (left up afterwards)");
            return new Fleet(fleet, false);
        }
        TestFleet.Result rootfs = TestFleet.fleet(List.of("rootfs"));
        if (!rootfs.ok()) {
            throw new IllegalStateException(
                    "this machine cannot host a test fleet: 'testfleet/fleet rootfs' failed:\n" + rootfs.output());
        }
        long start = System.nanoTime();
        TestFleet.Result up = TestFleet.fleet(List.of("up", "--hosts", hosts, "--dir", dir.toString()));
        if (!up.ok()) {
            throw new IllegalStateException(
                    "'testfleet/fleet up --hosts " + hosts + "' failed (exit " + up.exitCode() + "):\n" + up.output());
        }
        System.err.printf("testfleet: %s hosts up in %.1f s%n", hosts, (System.nanoTime() - start) / 1e9);
        return new Fleet(TestFleet.load(dir), true);
    }

    private static void requireRoot() {
        Object uid;
        try {
            uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalStateException("this machine cannot host a test fleet: cannot tell the user id", e);
        }
        if (!Integer.valueOf(0).equals(uid)) {
            throw new IllegalStateException("this machine cannot host a test fleet: the tests run as uid " + uid
                    + ", and a fleet (namespaces, mounts, a bridge) needs root");
        }
    }

    private static boolean isSystemd(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/comm")).strip().equals("systemd");
        } catch (IOException e) {
            return false;
        }
    }
}
