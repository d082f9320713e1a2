package dev.vigil.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class HostRangesTest {
    @Test
    void noRange_isTheNameItself() {
        assertThat(HostRanges.expand("web1.example.org")).containsExactly("web1.example.org");
        assertThat(HostRanges.isRange("web1.example.org")).isFalse();
    }

    @Test
    void zeroPadding_isKept() {
        List<String> hosts = HostRanges.expand("xrd[01-40].example.org");
        assertThat(hosts).hasSize(40);
        assertThat(hosts.getFirst()).isEqualTo("xrd01.example.org");
        assertThat(hosts.get(8)).isEqualTo("xrd09.example.org");
        assertThat(hosts.getLast()).isEqualTo("xrd40.example.org");
        assertThat(HostRanges.expand("n[008-011]")).containsExactly("n008", "n009", "n010", "n011");
    }

    @Test
    void withoutPadding_numbersGrow() {
        assertThat(HostRanges.expand("n[8-11]")).containsExactly("n8", "n9", "n10", "n11");
        assertThat(HostRanges.expand("n[3-3]")).containsExactly("n3");
    }

    @Test
    void severalRanges_giveEveryCombination_firstSlowest() {
        assertThat(HostRanges.expand("r[1-2]n[01-03]"))
                .containsExactly("r1n01", "r1n02", "r1n03", "r2n01", "r2n02", "r2n03");
    }

    @Test
    void startAfterEnd_isAnError() {
        assertThatThrownBy(() -> HostRanges.expand("xrd[40-01]"))
                .hasMessageContaining("the range [40-01] in 'xrd[40-01]' starts after it ends");
    }

    @Test
    void moreThanTenThousandHosts_isAnError() {
        assertThat(HostRanges.expand("n[00001-10000]")).hasSize(10_000);
        assertThatThrownBy(() -> HostRanges.expand("n[00001-10001]")).hasMessageContaining("more than 10000 hosts");
        assertThatThrownBy(() -> HostRanges.expand("a[1-200]b[1-200]")).hasMessageContaining("more than 10000");
    }

    @Test
    void malformedBrackets_areErrors() {
        for (String bad : List.of("xrd[01-]", "xrd[a-b]", "xrd[01-40", "xrd01-40]", "xrd[1,2]")) {
            assertThatThrownBy(() -> HostRanges.expand(bad)).as(bad).hasMessageContaining("is not a range");
        }
    }
}
