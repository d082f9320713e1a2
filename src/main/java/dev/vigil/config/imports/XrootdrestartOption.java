package dev.vigil.config.imports;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The options of xrootdrestart.conf, with the defaults XRootDRestart's README gives (section "Configuration File"),
 * and the spellings it accepts: the README's table spells two of them wrong ({@code alrt_url}, {@code cluseter_id}),
 * so both spellings are read.
 */
public enum XrootdrestartOption {
    ALERT_URL("http://localhost:9093", "alert_url", "alrt_url"),
    CLUSTER_ID("production", "cluster_id", "cluseter_id"),
    CMSD_PERIOD("259200", "cmsd_period"),
    CMSD_SVC("cmsd@cluster", "cmsd_svc"),
    CMSD_WAIT("300", "cmsd_wait"),
    LOG_LEVEL("INFO", "log_level"),
    METRICS_PORT("8000", "metrics_port"),
    METRICS_METHOD("PULL", "metrics_method"),
    MIN_OK("1", "min_ok"),
    PKEY_NAME("xrootdrestartkey", "pkey_name"),
    /** The default is the directory of the configuration file: {@link #fallback} is empty. */
    PKEY_PATH("", "pkey_path"),
    PUSHGW_URL("http://localhost:9091", "pushgw_url"),
    /** Named in the README's prose with the other monitoring URLs, not in its table of options. */
    PROM_URL("", "prom_url"),
    SERVERS("", "servers"),
    SERVICE_TIMEOUT("120", "service_timeout"),
    SSH_USER("xrootdrestart", "ssh_user"),
    XROOTD_SVC("xrootd@cluster", "xrootd_svc");

    /** XRootDRestart's default, used when the file does not set the option. */
    final String fallback;
    /** The README's name first, then other accepted spellings. */
    final List<String> names;

    XrootdrestartOption(String fallback, String... names) {
        this.fallback = fallback;
        this.names = List.of(names);
    }

    /** The option's name as XRootDRestart's README writes it in prose. */
    public String id() {
        return names.getFirst();
    }

    static Optional<XrootdrestartOption> find(String name) {
        return Stream.of(values()).filter(o -> o.names.contains(name)).findFirst();
    }

    /** Every accepted spelling of every option, for suggestions. */
    static List<String> allNames() {
        return Stream.of(values()).flatMap(o -> o.names.stream()).toList();
    }
}
