package dev.vigil.supervise;

import java.util.Objects;

/**
 * A service on a host: a local service ({@code host} empty) or one placement of a fleet service. Its {@link #key()}
 * names it in the store (events, memory): {@code SERVICE} for a local service, {@code SERVICE@HOST} for a fleet one,
 * unambiguous because a service name cannot contain {@code @}.
 */
public record ServiceAt(String service, String host) {
    public ServiceAt {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(host, "host");
    }

    /** A service of this host. */
    public static ServiceAt local(String service) {
        return new ServiceAt(service, "");
    }

    public boolean isLocal() {
        return host.isEmpty();
    }

    /** {@code web} for a local service, {@code web@h2} for web on fleet host h2. */
    public String key() {
        return isLocal() ? service : service + "@" + host;
    }

    @Override
    public String toString() {
        return key();
    }
}
