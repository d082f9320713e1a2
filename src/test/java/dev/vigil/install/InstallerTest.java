package dev.vigil.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.install.InstallReport.Action;
import dev.vigil.install.InstallReport.NextStep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstallerTest {
    @TempDir
    Path root;

    private InstallReport install(UnitKind kind, boolean force, boolean dryRun) throws InstallException {
        VigilUnit unit = new VigilUnit(kind, VigilUnitTest.LAUNCHER, Optional.empty());
        Path dir = kind.directory(root, Map.of("HOME", "/home/alice"));
        return Installer.install(new InstallRequest(unit, dir, "alice", force, dryRun));
    }

    private Path systemUnit() {
        return root.resolve("etc/systemd/system/vigil.service");
    }

    @Test
    void systemUnit_isWrittenUnderRoot_readableByAll_withTheStepsToEnableIt() throws Exception {
        InstallReport report = install(UnitKind.SYSTEM, false, false);

        assertThat(report.action()).isEqualTo(Action.CREATED);
        assertThat(report.ok()).isTrue();
        assertThat(report.file()).isEqualTo(systemUnit());
        assertThat(report.message()).isEqualTo("created " + systemUnit());
        assertThat(systemUnit()).hasContent(VigilUnitTest.render(UnitKind.SYSTEM));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(systemUnit())))
                .isEqualTo("rw-r--r--");
        assertThat(report.nextSteps())
                .extracting(NextStep::command)
                .containsExactly("systemctl daemon-reload", "systemctl enable --now vigil");
        try (var left = Files.list(systemUnit().getParent())) {
            assertThat(left).as("no temporary file left behind").containsExactly(systemUnit());
        }
    }

    @Test
    void userUnit_goesUnderTheHome_andTheStepsIncludeLingering() throws Exception {
        InstallReport report = install(UnitKind.USER, false, false);

        assertThat(report.file()).isEqualTo(root.resolve("home/alice/.config/systemd/user/vigil.service"));
        assertThat(report.file()).exists();
        assertThat(report.nextSteps())
                .extracting(NextStep::command)
                .containsExactly(
                        "systemctl --user daemon-reload",
                        "systemctl --user enable --now vigil",
                        "loginctl enable-linger alice");
        assertThat(report.nextSteps().get(2).why()).contains("last logout");
    }

    @Test
    void userUnitDirectory_followsXdgConfigHome() {
        assertThat(UnitKind.USER.directory(root, Map.of("HOME", "/home/alice", "XDG_CONFIG_HOME", "/cfg/alice")))
                .isEqualTo(root.resolve("cfg/alice/systemd/user"));
        assertThat(UnitKind.TEMPLATE.directory(Path.of("/"), Map.of())).isEqualTo(Path.of("/etc/systemd/system"));
    }

    @Test
    void template_isWrittenAsVigilAt_andTheStepsNameAnAccount() throws Exception {
        InstallReport report = install(UnitKind.TEMPLATE, false, false);

        assertThat(report.file()).isEqualTo(root.resolve("etc/systemd/system/vigil@.service"));
        assertThat(report.file()).content().contains("User=%i");
        assertThat(report.nextSteps())
                .extracting(NextStep::command)
                .containsExactly("systemctl daemon-reload", "systemctl enable --now vigil@USER");
    }

    @Test
    void sameUnitAgain_isUnchanged() throws Exception {
        install(UnitKind.SYSTEM, false, false);
        InstallReport again = install(UnitKind.SYSTEM, false, false);

        assertThat(again.action()).isEqualTo(Action.UNCHANGED);
        assertThat(again.ok()).isTrue();
        assertThat(again.message()).isEqualTo(systemUnit() + " is already up to date; nothing written");
    }

    @Test
    void changedFile_isRefused_andLeftAsItWas() throws Exception {
        install(UnitKind.SYSTEM, false, false);
        String edited = Files.readString(systemUnit()).replace("\nRestartSec=2s\n", "\nRestartSec=9s\n");
        Files.writeString(systemUnit(), edited);

        InstallReport report = install(UnitKind.SYSTEM, false, false);

        assertThat(report.action()).isEqualTo(Action.REFUSED);
        assertThat(report.ok()).isFalse();
        assertThat(report.nextSteps()).isEmpty();
        int line = VigilUnitTest.render(UnitKind.SYSTEM).lines().toList().indexOf("RestartSec=2s") + 1;
        assertThat(report.message())
                .isEqualTo(systemUnit() + " exists and differs from the unit Vigil generates (line " + line
                        + " is \"RestartSec=9s\", would be \"RestartSec=2s\"); nothing written. See the new unit with"
                        + " --dry-run, replace the file with --force, and keep local settings in a drop-in"
                        + " (systemctl edit vigil.service)");
        assertThat(systemUnit()).hasContent(edited);
    }

    @Test
    void force_replacesAChangedFile_andSaysToRestartVigil() throws Exception {
        Files.createDirectories(systemUnit().getParent());
        Files.writeString(systemUnit(), "[Service]\nExecStart=/old/vigil daemon\n");

        InstallReport report = install(UnitKind.SYSTEM, true, false);

        assertThat(report.action()).isEqualTo(Action.REPLACED);
        assertThat(report.message())
                .isEqualTo("replaced " + systemUnit() + ", which differed: line 1 is \"[Service]\", would be \""
                        + VigilUnitTest.render(UnitKind.SYSTEM)
                                .lines()
                                .findFirst()
                                .orElseThrow() + "\"");
        assertThat(systemUnit()).hasContent(VigilUnitTest.render(UnitKind.SYSTEM));
        assertThat(report.nextSteps()).extracting(NextStep::command).contains("systemctl try-restart vigil");
    }

    @Test
    void dryRun_writesNothing_butReportsWhatItWouldDo() throws Exception {
        InstallReport report = install(UnitKind.SYSTEM, false, true);

        assertThat(report.action()).isEqualTo(Action.CREATED);
        assertThat(report.dryRun()).isTrue();
        assertThat(report.message()).isEqualTo("would create " + systemUnit());
        assertThat(report.content()).isEqualTo(VigilUnitTest.render(UnitKind.SYSTEM));
        assertThat(report.nextSteps()).isNotEmpty();
        try (var anything = Files.list(root)) {
            assertThat(anything).as("nothing created under the root").isEmpty();
        }
    }

    @Test
    void dryRun_overAChangedFile_reportsTheRefusal_andChangesNothing() throws Exception {
        Files.createDirectories(systemUnit().getParent());
        Files.writeString(systemUnit(), "mine\n");

        assertThat(install(UnitKind.SYSTEM, false, true).action()).isEqualTo(Action.REFUSED);
        InstallReport forced = install(UnitKind.SYSTEM, true, true);
        assertThat(forced.action()).isEqualTo(Action.REPLACED);
        assertThat(forced.message()).startsWith("would replace " + systemUnit());
        assertThat(systemUnit()).hasContent("mine");
    }

    @Test
    void unwritableDirectory_failsWithTheFileNamed() throws IOException {
        // a file where a directory must be: fails for root too, unlike a permission
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/systemd"), "not a directory");

        assertThatThrownBy(() -> install(UnitKind.SYSTEM, false, false))
                .isInstanceOf(InstallException.class)
                .hasMessageStartingWith("cannot ");
    }

    @Test
    void firstDifference_namesTheLine() {
        assertThat(Installer.firstDifference("a\nb\n", "a\nc\n")).isEqualTo("line 2 is \"b\", would be \"c\"");
        assertThat(Installer.firstDifference("a\n", "a\nc\n")).isEqualTo("line 2 is missing, would be \"c\"");
        assertThat(Installer.firstDifference("a\nb\n", "a\n")).isEqualTo("line 2 is \"b\", which would go");
        assertThat(Installer.firstDifference("a\r\n", "a\n")).isEqualTo("they differ in line endings only");
    }
}
