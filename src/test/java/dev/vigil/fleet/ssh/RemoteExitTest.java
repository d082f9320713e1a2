package dev.vigil.fleet.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.shell.ExitStatus;
import org.junit.jupiter.api.Test;

class RemoteExitTest {
    @Test
    void exitStatusIsExited() {
        assertThat(RemoteExit.decode(3, null)).isEqualTo(new ExitStatus.Exited(3));
    }

    @Test
    void exitSignalIsSignalledWithItsNumber() {
        assertThat(RemoteExit.decode(null, "KILL")).isEqualTo(new ExitStatus.Signalled(9));
        assertThat(RemoteExit.decode(null, "TERM")).isEqualTo(new ExitStatus.Signalled(15));
        assertThat(RemoteExit.decode(null, "SIGSEGV")).isEqualTo(new ExitStatus.Signalled(11));
    }

    @Test
    void neitherIsLaunchFailedWithAReason() {
        assertThat(RemoteExit.decode(null, null))
                .isInstanceOfSatisfying(ExitStatus.LaunchFailed.class, f -> assertThat(f.reason())
                        .contains("without an exit status"));
    }
}
