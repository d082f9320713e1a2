package dev.vigil.fleet;

import dev.vigil.driver.Driver;
import dev.vigil.driver.ServiceStatus;
import dev.vigil.driver.SystemdDriver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The status of every service on one host with as few remote commands as possible: systemd units that share a
 * manager are asked in one {@code systemctl show}; every other driver on its own. On a warm sweep the commands, not
 * the network, are the cost (sshd starts a shell for each), so this is most of a sweep's speed.
 */
final class StatusBatch {
    private StatusBatch() {}

    /** The status of each driver, in the order given. */
    static List<ServiceStatus> statuses(List<Driver> drivers) {
        ServiceStatus[] statuses = new ServiceStatus[drivers.size()];
        Map<SystemdDriver, List<Integer>> batches = new LinkedHashMap<>();
        for (int i = 0; i < drivers.size(); i++) {
            if (drivers.get(i) instanceof SystemdDriver systemd) {
                SystemdDriver key = batches.keySet().stream()
                        .filter(k -> k.batchesWith(systemd))
                        .findFirst()
                        .orElse(systemd);
                batches.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
            } else {
                statuses[i] = drivers.get(i).status();
            }
        }
        batches.values().forEach(indexes -> {
            List<SystemdDriver> batch =
                    indexes.stream().map(i -> (SystemdDriver) drivers.get(i)).toList();
            List<ServiceStatus> seen = SystemdDriver.statusAll(batch);
            for (int j = 0; j < indexes.size(); j++) {
                statuses[indexes.get(j)] = seen.get(j);
            }
        });
        return List.of(statuses);
    }
}
