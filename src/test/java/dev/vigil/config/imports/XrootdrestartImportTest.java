package dev.vigil.config.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.config.AlertsSpec;
import dev.vigil.config.ConfigError;
import dev.vigil.config.ConfigException;
import dev.vigil.config.ConfigLoader;
import dev.vigil.config.VigilConfig;
import dev.vigil.fleet.Inventory;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil import xrootdrestart}: the file as read, the TOML written, the notes given, and what is refused. */
class XrootdrestartImportTest {
    private static final Path CONF = Path.of("/etc/xrootdrestart/xrootdrestart.conf");
    private static final Path DEFAULTS = Path.of("src/test/resources/import/xrootdrestart-defaults.conf");

    @TempDir
    Path dir;

    private static Translation translate(String conf) throws ConfigException {
        return XrootdrestartImport.translate(IniReader.read(CONF, conf.getBytes(StandardCharsets.UTF_8)), CONF);
    }

    private static List<ConfigError> errors(String conf) {
        try {
            translate(conf);
        } catch (ConfigException e) {
            return e.errors();
        }
        throw new AssertionError("no error for:\n" + conf);
    }

    private static Mapping mapping(Translation t, String option) {
        return t.mappings().stream()
                .filter(m -> m.option().equals(option))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no mapping for " + option + ": " + t.mappings()));
    }

    /** The whole output, loaded by the configuration loader, rollout included. */
    private VigilConfig load(Translation t) throws IOException, ConfigException {
        Path file = dir.resolve("vigil.toml");
        Files.writeString(file, t.toml());
        VigilConfig config = ConfigLoader.load(file, Map.of(), false, dir);
        assertThat(config.rollouts()).isNotEmpty();
        return config;
    }

    @Test
    void theReadmeDefaultsBecomeTheExpectedToml() throws Exception {
        Translation t = translate(Files.readString(DEFAULTS));

        assertThat(t.toml()).isEqualTo(Files.readString(DEFAULTS.resolveSibling("xrootdrestart-defaults.toml")));
    }

    @Test
    void theOutputLoadsWithTodaysLoaderAndMeansWhatTheFileSaid() throws Exception {
        VigilConfig config = load(translate(Files.readString(DEFAULTS)));

        assertThat(config.inventory().hosts())
                .extracting(Inventory.Host::name)
                .containsExactly("xrd01.example.org", "xrd02.example.org");
        assertThat(config.inventory().hosts())
                .allSatisfy(h -> assertThat(h.classes()).contains("xrootd"));
        var ssh = config.settings().ssh();
        assertThat(ssh.user()).contains("xrootdrestart");
        assertThat(ssh.keys()).containsExactly(Path.of("/etc/xrootdrestart/xrootdrestartkey"));
        assertThat(ssh.sudo()).isTrue();
        assertThat(ssh.hostKeys()).isEqualTo(dev.vigil.fleet.ssh.SshSettings.HostKeyPolicy.STRICT);
        assertThat(config.settings().metricsListen()).map(Object::toString).contains("127.0.0.1:8000");
        assertThat(config.settings().alerts().sinks().get("alertmanager"))
                .isEqualTo(new AlertsSpec.Sink.Alertmanager(
                        List.of(URI.create("http://localhost:9093")),
                        ((AlertsSpec.Sink.Alertmanager)
                                        config.settings().alerts().sinks().get("alertmanager"))
                                .timeout()));
    }

    @Test
    void theRolloutTableCarriesEveryNumberOfTheFile() throws Exception {
        Translation t = translate("""
                [xrootdrestart]
                cmsd_period = 3600
                cmsd_svc = cmsd@atlas
                xrootd_svc = "xrootd@atlas"
                cmsd_wait = 45
                service_timeout = 90
                min_ok = 3
                servers = a.example.org
                """);

        String rollout = t.toml().substring(t.toml().indexOf("[rollout.xrootd]\n"));
        assertThat(rollout)
                .contains("preset = \"xrootd\"")
                .contains("hosts = \"xrootd\"")
                .contains("period = \"3600s\"")
                .contains("max_parallel = 1")
                .contains("min_ok = 3")
                .contains("healthy = [\"xrootd@atlas\", \"cmsd@atlas\"]")
                .contains("on_failure = \"pause\"")
                .contains("cmsd_unit = \"cmsd@atlas\"")
                .contains("xrootd_unit = \"xrootd@atlas\"")
                .contains("cmsd_wait = \"45s\"")
                .contains("service_timeout = \"90s\"")
                .contains("# drain_port = 1094");
    }

    @Test
    void everyOptionIsMappedWithAVerdict() throws Exception {
        Translation t = translate(Files.readString(DEFAULTS) + "prom_url = http://localhost:9090\n");

        Map<String, Mapping.Verdict> expected = Map.ofEntries(
                Map.entry("alert_url", Mapping.Verdict.CHANGED),
                Map.entry("cluster_id", Mapping.Verdict.NOT_NEEDED),
                Map.entry("cmsd_period", Mapping.Verdict.SAME),
                Map.entry("cmsd_svc", Mapping.Verdict.SAME),
                Map.entry("cmsd_wait", Mapping.Verdict.CHANGED),
                Map.entry("log_level", Mapping.Verdict.NOT_NEEDED),
                Map.entry("metrics_port", Mapping.Verdict.CHANGED),
                Map.entry("metrics_method", Mapping.Verdict.SAME),
                Map.entry("min_ok", Mapping.Verdict.CHANGED),
                Map.entry("pkey_name", Mapping.Verdict.SAME),
                Map.entry("pkey_path", Mapping.Verdict.SAME),
                Map.entry("pushgw_url", Mapping.Verdict.NOT_NEEDED),
                Map.entry("prom_url", Mapping.Verdict.NOT_NEEDED),
                Map.entry("servers", Mapping.Verdict.SAME),
                Map.entry("service_timeout", Mapping.Verdict.SAME),
                Map.entry("ssh_user", Mapping.Verdict.SAME),
                Map.entry("xrootd_svc", Mapping.Verdict.SAME));
        assertThat(t.mappings()).hasSize(expected.size());
        expected.forEach((option, verdict) ->
                assertThat(mapping(t, option).verdict()).as(option).isEqualTo(verdict));
        assertThat(t.mappings())
                .allSatisfy(m -> assertThat(m.line()).as(m.option()).isPositive());
        t.mappings().stream()
                .filter(m -> m.verdict() != Mapping.Verdict.SAME)
                .forEach(m -> assertThat(m.note()).as(m.option()).isNotEmpty());
        assertThat(mapping(t, "min_ok").note()).contains("observes healthy").contains("across its restarts");
        assertThat(mapping(t, "metrics_port").note()).contains("127.0.0.1 only");
        assertThat(mapping(t, "cmsd_wait").note()).contains("drain_port");
        assertThat(mapping(t, "log_level").note()).contains("VIGIL_LOG_LEVEL");
        assertThat(mapping(t, "cluster_id").note()).contains("external_labels").contains("vigil_rollout_*");
    }

    @Test
    void optionsTheFileLeavesOutTakeXrootdrestartsDefaults() throws Exception {
        Translation t = translate("[DEFAULT]\nservers = xrd01\n");

        assertThat(mapping(t, "cmsd_period").line()).isZero();
        assertThat(mapping(t, "cmsd_period").where()).isEqualTo("not set, default \"259200\"");
        assertThat(t.toml())
                .contains("period = \"259200s\"")
                .contains("cmsd_unit = \"cmsd@cluster\"")
                .contains("xrootd_unit = \"xrootd@cluster\"")
                .contains("cmsd_wait = \"300s\"")
                .contains("service_timeout = \"120s\"")
                .contains("\nmin_ok = 1  #")
                .contains("user = \"xrootdrestart\"")
                .contains("metrics_listen = \"127.0.0.1:8000\"")
                .contains("urls = [\"http://localhost:9093\"]")
                // pkey_path defaults to the directory of the conf file
                .contains("keys = [\"/etc/xrootdrestart/xrootdrestartkey\"]");
    }

    @Test
    void theReadmesMisspelledNamesAreReadToo() throws Exception {
        Translation t = translate("""
                [DEFAULT]
                alrt_url = http://am.example.org:9093
                cluseter_id = atlas
                servers = xrd01
                """);

        assertThat(t.toml()).contains("urls = [\"http://am.example.org:9093\"]");
        assertThat(mapping(t, "alrt_url").line()).isEqualTo(2);
        assertThat(mapping(t, "cluseter_id").note()).contains("\"atlas\"");
    }

    @Test
    void bothSpellingsWithDifferentValuesAreAnError() {
        List<ConfigError> errors = errors("""
                alert_url = http://a:9093
                alrt_url = http://b:9093
                """);

        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.line()).isEqualTo(2);
            assertThat(e.rule()).contains("also set as alert_url at line 1");
        });
    }

    @Test
    void aBlankAlertUrlMeansNoSink() throws Exception {
        Translation t = translate("[DEFAULT]\nalert_url =\nservers = xrd01\n");

        assertThat(t.toml()).doesNotContain("\n[alerts");
        assertThat(mapping(t, "alert_url").note()).contains("no alerts");
        assertThat(load(t).settings().alerts().sinks()).doesNotContainKey("alertmanager");
    }

    @Test
    void anAlertmanagerApiPathIsCutToTheBaseUrl() throws Exception {
        Translation t = translate("alert_url = http://am:9093/api/v2/alerts\n");

        assertThat(t.toml()).contains("urls = [\"http://am:9093\"]");
    }

    @Test
    void aBlankKeyNameMeansNoKeyLine() throws Exception {
        Translation t = translate("[DEFAULT]\npkey_name =\nservers = xrd01\n");

        assertThat(t.toml()).doesNotContain("\nkeys =");
        assertThat(mapping(t, "pkey_name").note()).contains("no key");
        assertThat(load(t).settings().ssh().keys()).isEmpty();
    }

    @Test
    void aRelativeKeyPathIsTakenFromTheConfDirectory() throws Exception {
        Translation t = translate("pkey_path = keys\npkey_name = id_ecdsa\n");

        assertThat(t.toml()).contains("keys = [\"/etc/xrootdrestart/keys/id_ecdsa\"]");
        assertThat(mapping(t, "pkey_path").note()).contains("relative");
    }

    @Test
    void unknownOptionsAreReportedWithTheirLineAndNotDropped() throws Exception {
        Translation t = translate("""
                [DEFAULT]
                servers = xrd01
                min_okay = 2
                colour = blue
                """);

        Mapping typo = mapping(t, "min_okay");
        assertThat(typo.verdict()).isEqualTo(Mapping.Verdict.UNKNOWN);
        assertThat(typo.line()).isEqualTo(3);
        assertThat(typo.note()).contains("not imported").contains("did you mean 'min_ok'?");
        assertThat(mapping(t, "colour").line()).isEqualTo(4);
        assertThat(t.messages()).anySatisfy(m -> assertThat(m).startsWith("min_okay (line 3): unknown: "));
        assertThat(t.toml()).contains("# - colour (line 4): unknown: not an XRootDRestart option");
    }

    @Test
    void pushIsExplainedNotImported() throws Exception {
        Translation t = translate("metrics_method = push\npushgw_url = http://gw:9091\n");

        assertThat(mapping(t, "metrics_method").verdict()).isEqualTo(Mapping.Verdict.NOT_NEEDED);
        assertThat(mapping(t, "pushgw_url").note())
                .contains("vigil check --push URL")
                .contains("does not push");
        assertThat(t.toml()).contains("metrics_listen = \"127.0.0.1:8000\"").doesNotContain("gw:9091\"");
    }

    @Test
    void theIniSyntaxOfConfigparserIsRead() throws Exception {
        IniFile ini = IniReader.read(CONF, """
                ; a comment
                top = before any section
                [DEFAULT]
                Min_OK: 2
                cmsd_svc = 'cmsd@atlas'   # inline comment
                servers = xrd01,
                    xrd02
                  # an indented comment
                    xrd03
                [xrootdrestart]
                min_ok = 4
                """.getBytes(StandardCharsets.UTF_8));

        assertThat(ini.get("min_ok")).map(IniFile.Entry::value).contains("4");
        assertThat(ini.get("min_ok")).map(IniFile.Entry::line).contains(11);
        assertThat(ini.get("cmsd_svc")).map(IniFile.Entry::value).contains("cmsd@atlas");
        assertThat(ini.get("top")).map(IniFile.Entry::value).contains("before any section");
        Translation t = XrootdrestartImport.translate(ini, CONF);
        assertThat(t.toml())
                .contains("[host.xrd01]")
                .contains("[host.xrd02]")
                .contains("[host.xrd03]")
                .contains("min_ok = 4");
    }

    @Test
    void whatCannotBeReadIsAnErrorWithFileAndLine() {
        List<ConfigError> errors = errors("""
                [DEFAULT
                servers xrd01
                min_ok = 1
                min_ok = 2
                = 5
                """);

        assertThat(errors).extracting(ConfigError::line).containsExactly(1, 2, 4, 5);
        assertThat(errors.getFirst().toString()).startsWith(CONF + ":1: a section header");
        assertThat(errors.get(1).rule()).contains("min_ok = 1");
        assertThat(errors.get(2).rule()).contains("set twice: first at line 3");
    }

    @Test
    void aFileThatIsNotTextOrNotThereIsAnError() throws Exception {
        assertThatThrownBy(() -> IniReader.read(CONF, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1}))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("not UTF-8");
        assertThatThrownBy(() -> XrootdrestartImport.importFile(dir.resolve("missing.conf")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("no such file");
    }

    @Test
    void valuesVigilCannotTakeAreErrorsNeverEmitted() {
        List<ConfigError> errors = errors("""
                [DEFAULT]
                servers = good.example.org, "bad"host, evil;rm
                cmsd_svc = cmsd@cluster; touch /tmp/x
                xrootd_svc = -xrootd
                cmsd_period = 3 days
                min_ok = -1
                metrics_port = 70000
                metrics_method = POLL
                ssh_user = root user
                alert_url = ftp://am
                """);

        assertThat(errors).extracting(ConfigError::line).containsExactlyInAnyOrder(2, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(errors.getFirst().found()).isEqualTo("\"\\\"bad\\\"host\"");
        assertThat(errors.getFirst().rule()).contains("not imported");
    }

    @Test
    void quotesBackslashesAndNewlinesStayInsideTheirValues() throws Exception {
        Translation t = translate("""
                [DEFAULT]
                servers = xrd01
                pkey_path = /etc/we"ird\\dir
                    second line
                cluster_id = "prod" ] [evil]
                    x = 1
                unknown = a\u0007b
                """);

        assertThat(t.toml()).doesNotContain("[evil]\n").doesNotContain("\nx = 1");
        assertThat(t.toml()).contains("keys = [\"/etc/we\\\"ird\\\\dir\\nsecond line/xrootdrestartkey\"]");
        VigilConfig config = load(t);
        assertThat(config.settings().ssh().keys())
                .containsExactly(Path.of("/etc/we\"ird\\dir\nsecond line/xrootdrestartkey"));
        assertThat(config.inventory().hosts()).extracting(Inventory.Host::name).containsExactly("xrd01");
        assertThat(t.toml().lines().filter(l -> !l.isEmpty() && !l.startsWith("#")))
                .allSatisfy(l -> assertThat(l).matches("\\[.*]( {2}#.*)?|[a-z_]+ = .*"));
    }

    @Test
    void serversListedTwiceAreImportedOnce() throws Exception {
        Translation t = translate("servers = xrd01, XRD01,, xrd02 xrd03\n");

        assertThat(t.toml()).contains("[host.xrd01]").doesNotContain("[host.XRD01]");
        assertThat(load(t).inventory().hosts())
                .extracting(Inventory.Host::name)
                .containsExactly("xrd01", "xrd02", "xrd03");
        assertThat(mapping(t, "servers").note()).contains("imported once: XRD01");
    }

    @Test
    void blankServersImportNoHostAndSaySo() throws Exception {
        Translation t = translate("servers =\n");

        assertThat(t.toml()).doesNotContain("\n[host.");
        assertThat(mapping(t, "servers").note()).contains("no servers");
        // and the loader says the same, naming the rollout's hosts key: nothing runs until hosts are added
        assertThatThrownBy(() -> load(t))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("rollout.xrootd.hosts")
                .hasMessageContaining("selects none");
    }
}
