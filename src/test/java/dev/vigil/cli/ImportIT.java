package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/vigil import xrootdrestart} as a user runs it, and {@code check-config} of what it wrote. */
class ImportIT {
    @TempDir
    Path home;

    @Test
    void importThenCheckConfigOfEverythingButTheRollout() throws Exception {
        Path conf = Launcher.PROJECT.resolve("src/test/resources/import/xrootdrestart-defaults.conf");
        Path out = home.resolve("vigil.toml");

        Launcher.Result run =
                Launcher.vigil(home, "import", "xrootdrestart", "--output", out.toString(), conf.toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.err()).contains("note: min_ok (line 11): changed meaning");
        assertThat(Files.readString(out))
                .isEqualTo(Files.readString(conf.resolveSibling("xrootdrestart-defaults.toml"))
                        .replace("/etc/xrootdrestart/xrootdrestart.conf", conf.toString()));

        // The whole output loads, rollout included, and its dry run names both hosts and the preset's steps.
        Launcher.Result check = Launcher.vigil(home, "-c", out.toString(), "check-config");
        assertThat(check.exitCode()).as(check.toString()).isZero();
        assertThat(check.out()).contains("2 hosts");
        Launcher.Result plan = Launcher.vigil(home, "-c", out.toString(), "rollout", "run", "xrootd", "--dry-run");
        assertThat(plan.out())
                .as(plan.toString())
                .contains("preset xrootd")
                .contains("stop cmsd@cluster.service")
                .contains("restart xrootd@cluster.service")
                .contains("dry run: nothing was changed");

        Launcher.Result again =
                Launcher.vigil(home, "import", "xrootdrestart", "--output", out.toString(), conf.toString());
        assertThat(again.exitCode()).as(again.toString()).isEqualTo(ExitCodes.INVALID_ARGUMENTS);
    }
}
