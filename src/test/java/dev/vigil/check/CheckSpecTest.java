package dev.vigil.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Validation of specs, their defaults, and the documentation of every type and key. */
class CheckSpecTest {
    private static final CheckSpec.Common COMMON = CheckSpec.Common.defaults("c");

    /** One spec of every type. */
    static List<CheckSpec> everyType() {
        return List.of(
                new CheckSpec.Rss(COMMON, 1024, false),
                new CheckSpec.ActivityFile(COMMON, Path.of("/tmp/beat"), Duration.ofMinutes(1)),
                new CheckSpec.Tcp(COMMON, "localhost", 80),
                new CheckSpec.Http(COMMON, URI.create("http://localhost/")),
                new CheckSpec.CommandCheck(COMMON, List.of("/bin/true"), Map.of()),
                new CheckSpec.CpuTime(COMMON, Duration.ofSeconds(1), Optional.empty()));
    }

    @Test
    void defaults_areEvery30sWith5sTimeout_tripAtFirstFailure_restart() {
        assertThat(COMMON)
                .isEqualTo(new CheckSpec.Common(
                        "c",
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(5),
                        new CheckSpec.Tolerance(1, Duration.ofSeconds(30)),
                        CheckSpec.OnFailure.RESTART));
        CheckSpec.Http http = new CheckSpec.Http(COMMON, URI.create("https://localhost/"));
        assertThat(http.okStatuses()).hasSize(200).contains(200, 302, 399).doesNotContain(199, 400);
        assertThat(http.tlsVerify()).isTrue();
        assertThat(http.followRedirects()).isFalse();
    }

    @Test
    void badValues_areRejected_namingCheckKeyAndValue() {
        assertThatThrownBy(() -> COMMON.every(Duration.ofSeconds(5), Duration.ofSeconds(10)))
                .hasMessage("c: timeout (10s) must not exceed interval (5s)");
        assertThatThrownBy(() -> new CheckSpec.Common(
                        "c", Duration.ZERO, Duration.ZERO, COMMON.tolerance(), CheckSpec.OnFailure.ALERT))
                .hasMessage("c: interval must be a positive duration, got 0ms");
        assertThatThrownBy(() -> new CheckSpec.Tolerance(0, Duration.ofMinutes(1)))
                .hasMessage("failures must be at least 1, got 0");
        assertThatThrownBy(() -> new CheckSpec.Rss(COMMON, 0, false))
                .hasMessage("c: limit must be a positive number of bytes, got 0");
        assertThatThrownBy(() -> new CheckSpec.ActivityFile(COMMON, Path.of("beat"), Duration.ofMinutes(1)))
                .hasMessage("c: path must be absolute, got 'beat'");
        assertThatThrownBy(() -> new CheckSpec.Tcp(COMMON, "localhost", 70000))
                .hasMessage("c: port must be 1-65535, got 70000");
        assertThatThrownBy(() -> new CheckSpec.Http(COMMON, URI.create("ftp://localhost/")))
                .hasMessage("c: url must be an http:// or https:// URL with a host, got 'ftp://localhost/'");
        assertThatThrownBy(() -> new CheckSpec.Http(
                        COMMON, URI.create("http://localhost/"), Set.of(200, 700), Optional.empty(), true, false))
                .hasMessage("c: ok_statuses must be HTTP statuses 100-599, got 700");
        assertThatThrownBy(() -> new CheckSpec.CommandCheck(COMMON, List.of(), Map.of()))
                .hasMessage("c: command must name a program, got []");
        assertThatThrownBy(() -> new CheckSpec.CommandCheck(COMMON, List.of("/bin/true"), Map.of("1X", "y")))
                .hasMessage("c: env names must be letters, digits and '_', not starting with a digit; got '1X'");
        assertThatThrownBy(() -> new CheckSpec.CpuTime(COMMON, Duration.ofSeconds(1), Optional.of(Duration.ZERO)))
                .hasMessage("c: per must be a positive duration, got 0ms");
    }

    @Test
    void typeKeys_coverEveryPermittedType() {
        Set<String> types = everyType().stream().map(CheckSpec::type).collect(Collectors.toSet());

        assertThat(CheckSpec.class.getPermittedSubclasses()).hasSize(everyType().size());
        assertThat(CheckSpec.TYPE_KEYS.keySet()).containsExactlyInAnyOrderElementsOf(types);
    }

    @Test
    void docs_describeEveryTypeAndEveryKey() throws IOException {
        String doc = Files.readString(Path.of("docs/checks.md"));

        for (String type : CheckSpec.TYPE_KEYS.keySet()) {
            assertThat(doc).contains("## `type = \"" + type + "\"`");
        }
        List<String> keys = CheckSpec.TYPE_KEYS.values().stream()
                .flatMap(List::stream)
                .collect(Collectors.toCollection(() -> new ArrayList<>(CheckSpec.COMMON_KEYS)));
        for (String key : keys) {
            assertThat(doc).as("docs/checks.md documents `%s`", key).contains("| `" + key + "` |");
        }
        assertThat(Arrays.stream(CheckSpec.OnFailure.values()).map(v -> v.name().toLowerCase(Locale.ROOT)))
                .allSatisfy(v -> assertThat(doc).contains("\"" + v + "\""));
    }
}
