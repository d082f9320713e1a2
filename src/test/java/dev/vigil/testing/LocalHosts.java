package dev.vigil.testing;

import dev.vigil.fleet.HostShells;
import dev.vigil.fleet.Inventory;
import dev.vigil.shell.CommandResult;
import dev.vigil.shell.ExitStatus;
import dev.vigil.shell.LocalShell;
import dev.vigil.shell.Shell;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Fleet hosts for unit tests: each "host" is this machine running real commands, with {@code VIGIL_HOST} exported so
 * a service's commands can keep one marker file per host; a host in {@link #cutOff} answers Unreachable, as a host
 * whose network is down.
 */
public final class LocalHosts implements HostShells {
    /** Hosts whose network is down. */
    public final Set<String> cutOff = ConcurrentHashMap.newKeySet();
    /** Every command run on a host, as "host: argv". */
    public final List<String> commands = new CopyOnWriteArrayList<>();

    private final int fanout;

    public LocalHosts(int fanout) {
        this.fanout = fanout;
    }

    @Override
    public Shell shell(Inventory.Host host) {
        return new HostShell(host.name());
    }

    @Override
    public int fanout() {
        return fanout;
    }

    private final class HostShell implements Shell {
        private final String host;

        HostShell(String host) {
            this.host = host;
        }

        @Override
        public CommandResult run(List<String> argv, Duration timeout) {
            commands.add(host + ": " + String.join(" ", argv));
            if (cutOff.contains(host)) {
                return new CommandResult(
                        new ExitStatus.Unreachable("connect to " + host + " port 22: timed out"), "", "", timeout);
            }
            List<String> withHost = new ArrayList<>(List.of("env", "VIGIL_HOST=" + host));
            withHost.addAll(argv);
            return new LocalShell().run(withHost, timeout);
        }

        @Override
        public String where() {
            return host;
        }
    }
}
