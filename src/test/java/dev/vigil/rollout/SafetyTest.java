package dev.vigil.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SafetyTest {
    private static HostHealth ok(String host) {
        return new HostHealth(host, true, true, "active");
    }

    private static HostHealth down(String host) {
        return new HostHealth(host, false, true, "xrootd inactive");
    }

    @Test
    void aHost_mayGoDown_whenEnoughOthersStayHealthy() {
        assertThat(Safety.refusal(List.of(ok("a"), ok("b"), ok("c")), "a", Set.of(), 2))
                .isEmpty();
    }

    @Test
    void aHostDownForAnyReason_countsAsDown() {
        assertThat(Safety.refusal(List.of(ok("a"), down("b"), ok("c")), "a", Set.of(), 2))
                .hasValueSatisfying(why -> assertThat(why).contains("leave 1 healthy host of 3", "b (xrootd"));
    }

    @Test
    void hostsInProgress_countAsDown_evenWhenTheyLookHealthy() {
        assertThat(Safety.refusal(List.of(ok("a"), ok("b"), ok("c")), "a", Set.of("b"), 2))
                .isPresent();
    }

    @Test
    void theTarget_doesNotCount_whetherHealthyOrNot() {
        assertThat(Safety.refusal(List.of(down("a"), ok("b")), "a", Set.of(), 1))
                .isEmpty();
        assertThat(Safety.refusal(List.of(ok("a"), ok("b")), "a", Set.of(), 2)).isPresent();
    }

    @Test
    void anUnreachableHost_isNotHealthy() {
        HostHealth gone = new HostHealth("b", false, false, "unreachable: connect timed out");
        assertThat(Safety.refusal(List.of(ok("a"), gone, ok("c")), "c", Set.of(), 2))
                .isPresent();
    }
}
