package dev.vigil.check;

import dev.vigil.process.ProcessInfo;
import java.util.Optional;

/**
 * What a check looks at: the service, and its process when it has one that Vigil has identified. Checks that measure
 * the process (rss, cpu) re-read it and verify its identity before trusting the pid.
 */
public record CheckTarget(String service, Optional<ProcessInfo> process) {
    public static CheckTarget of(String service, ProcessInfo process) {
        return new CheckTarget(service, Optional.of(process));
    }

    /** A service without a process of its own (a systemd unit seen only through systemd, a remote endpoint). */
    public static CheckTarget withoutProcess(String service) {
        return new CheckTarget(service, Optional.empty());
    }
}
