package dev.vigil.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigil.shell.CommandResult;
import dev.vigil.shell.LocalShell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** systemd's own checker reads the generated units: no unknown key, bad value or missing program. */
class SystemdAnalyzeTest {
    private static final Path TOOL = Path.of("/usr/bin/systemd-analyze");

    @TempDir
    Path dir;

    private Path launcher;

    @BeforeEach
    void needsTheTool() throws IOException {
        assumeTrue(
                Files.isExecutable(TOOL),
                "skipped: " + TOOL + " is not installed, so the generated units are not checked by systemd"
                        + " (Debian: apt-get install systemd; .ci/run installs it)");
        // verify checks that ExecStart's program exists and is executable
        launcher = Files.createDirectories(dir.resolve("opt/vigil/bin")).resolve("vigil");
        Files.writeString(launcher, "#!/bin/sh\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @ParameterizedTest
    @EnumSource(UnitKind.class)
    void generatedUnit_passesSystemdAnalyzeVerify(UnitKind kind) throws Exception {
        Path units = Files.createDirectories(dir.resolve("units"));
        Path file = units.resolve(kind.fileName());
        Files.writeString(file, new VigilUnit(kind, launcher, Optional.of(dir.resolve("jdk"))).render());
        // a template is verified through an instance, which systemd loads from the template next to it
        Path target = kind == UnitKind.TEMPLATE ? units.resolve("vigil@alice.service") : file;

        List<String> argv = new ArrayList<>(List.of("env"));
        if (kind == UnitKind.USER) {
            // a user manager needs a runtime directory, even to only verify
            argv.add("XDG_RUNTIME_DIR=" + Files.createDirectories(dir.resolve("runtime")));
        }
        argv.addAll(List.of(TOOL.toString(), "verify", "--man=no"));
        if (kind == UnitKind.USER) {
            argv.add("--user");
        }
        argv.add(target.toString());
        CommandResult result = new LocalShell().run(argv, Duration.ofSeconds(30));

        // verify exits 0 on mere warnings (unknown keys, bad values) and prints them: both must be clean
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout() + result.stderr())
                .as("systemd-analyze's complaints")
                .isEmpty();
    }
}
