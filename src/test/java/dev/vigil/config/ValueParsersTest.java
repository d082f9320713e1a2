package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ValueParsersTest {

    @ParameterizedTest
    @CsvSource({
        "30s,30000",
        "5m,300000",
        "1h,3600000",
        "250ms,250",
        "1h30m,5400000",
        "0.3s,300",
        "2,2000",
        "1.5,1500",
        "0,0",
        "1d,86400000",
        "1m30s500ms,90500"
    })
    void durations_acceptTheDocumentedForms(String text, long millis) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "s", "30 seconds", "5mins", "1h 30m", "-5s", "-1", "30S", "1e3"})
    void durations_rejectEverythingElse(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(BadValue.class);
    }

    @ParameterizedTest
    @CsvSource({
        "0,0",
        "512,512",
        "512k,524288",
        "512K,524288",
        "200MiB,209715200",
        "200MB,209715200",
        "1.5G,1610612736",
        "2 GiB,2147483648",
        "1T,1099511627776",
        "10b,10"
    })
    void sizes_arePowersOf1024(String text, long bytes) {
        assertThat(Sizes.parse(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lots", "-5M", "5X", "M", "1.5.5G"})
    void sizes_rejectGarbage(String text) {
        assertThatThrownBy(() -> Sizes.parse(text)).isInstanceOf(BadValue.class);
    }

    @ParameterizedTest
    @CsvSource({
        "nginx,nginx.service",
        "nginx.service,nginx.service",
        "cmsd@cluster,cmsd@cluster.service",
        "cmsd@cluster.service,cmsd@cluster.service",
        "web.socket,web.socket",
        "foo.bar,foo.bar.service",
        "dev-sda1.device,dev-sda1.device",
        "a:b_c\\x2d,a:b_c\\x2d.service"
    })
    void unitNames_getAServiceSuffixWhenTheyHaveNone(String text, String unit) {
        assertThat(UnitNames.parse(text)).isEqualTo(unit);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "nginx;rm -rf /",
                "-H",
                "nginx service",
                "$(id)",
                "a@b@c",
                "@x",
                "foo@.service",
                "",
                "web`id`",
                "a|b",
                "x'y"
            })
    void unitNames_rejectWhatSystemdWouldNot(String text) {
        assertThatThrownBy(() -> UnitNames.parse(text)).isInstanceOf(BadValue.class);
    }

    @org.junit.jupiter.api.Test
    void unitNames_areAtMost255Characters() {
        assertThat(UnitNames.parse("a".repeat(247))).hasSize(255);
        assertThatThrownBy(() -> UnitNames.parse("a".repeat(248))).isInstanceOf(BadValue.class);
    }

    @org.junit.jupiter.api.Test
    void shellWords_splitLikePosixShWithoutExpanding() {
        assertThat(ShellWords.split("/bin/x a  'b c' \"d \\\"e\\\" $HOME\" f\\ g 'h'\"i\" ~ *"))
                .containsExactly("/bin/x", "a", "b c", "d \"e\" $HOME", "f g", "hi", "~", "*");
        assertThat(ShellWords.split("x '' \"\"")).containsExactly("x", "", "");
        assertThat(ShellWords.split("\"a\\b\" 'c\\d'")).containsExactly("a\\b", "c\\d");
        assertThat(ShellWords.split("   ")).isEqualTo(List.of());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/bin/echo 'hi", "/bin/echo \"hi"})
    void shellWords_rejectUnclosedQuotes(String text) {
        assertThatThrownBy(() -> ShellWords.split(text))
                .isInstanceOf(BadValue.class)
                .hasMessageContaining("never closed");
    }

    @org.junit.jupiter.api.Test
    void unknownKeys_suggestCloseNames() {
        assertThat(Key.unknown(Key.Scope.SERVICE, "comand", false, "exec"))
                .isEqualTo("unknown key 'comand'; did you mean 'command'?");
        assertThat(Key.unknown(Key.Scope.SERVICE, "xyzzy", false, "exec"))
                .isEqualTo("unknown key 'xyzzy'; docs/configuration.md lists the valid keys");
    }
}
