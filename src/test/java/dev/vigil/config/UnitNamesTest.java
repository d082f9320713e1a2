package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Unit names reach systemctl and remote shells: only systemd's grammar gets through, checked twice. */
class UnitNamesTest {
    @ParameterizedTest
    @ValueSource(
            strings = {
                "cmsd@cluster; touch /tmp/x",
                "$(touch /tmp/x)",
                "`touch /tmp/x`",
                "x' ; touch /tmp/x '",
                "a\"b",
                "--help",
                "-x.service",
                "a\ntouch /tmp/x",
                "a b",
                "a|b",
                "a&b",
                "a>b",
                "@cluster",
                ""
            })
    void hostileNames_areNoUnitNames_andNoDriverCanBeBuiltWithThem(String hostile) {
        assertThat(UnitNames.isValid(hostile)).isFalse();
        assertThatThrownBy(() -> new DriverSpec.Systemd(hostile, false, Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a systemd unit name");
    }

    @Test
    void systemdsOwnNames_pass() {
        for (String unit :
                new String[] {"cmsd@cluster.service", "nginx.service", "dev-sda1.mount", "a\\x2db.service"}) {
            assertThat(UnitNames.isValid(unit)).as(unit).isTrue();
            assertThat(new DriverSpec.Systemd(unit, false, Duration.ofSeconds(5)).unit())
                    .isEqualTo(unit);
        }
        assertThat(UnitNames.parse("cmsd@cluster")).isEqualTo("cmsd@cluster.service");
    }
}
