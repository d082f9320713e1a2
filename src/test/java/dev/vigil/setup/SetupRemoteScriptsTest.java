package dev.vigil.setup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.shell.CommandResult;
import dev.vigil.shell.LocalShell;
import dev.vigil.shell.ShellQuoting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The remote scripts run here as SSH would run them: the argv quoted into one command string and parsed by a POSIX
 * shell. Hostile values arrive intact and run nothing.
 */
class SetupRemoteScriptsTest {
    @TempDir
    Path dir;

    private CommandResult remote(String script, String... args) {
        String command = ShellQuoting.join(RemoteScripts.argv(script, args));
        return new LocalShell().run(List.of("/bin/sh", "-c", command), Duration.ofSeconds(30));
    }

    private static final String BLOB = "AAAAC3NzaC1lZDI1NTE5AAAAIHostileTestKeyBlob0123456789";

    @Test
    void theKeyLine_arrivesIntact_whateverItHolds_andIsReplacedNotDuplicated() throws Exception {
        Path pwned = dir.resolve("pwned");
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(home.resolve(".ssh/authorized_keys"), "ssh-ed25519 OTHERKEY someone\n");
        String hostile = "from=\"10.0.0.1\",no-pty ssh-ed25519 " + BLOB + " x'\"; touch " + pwned + "; $(touch " + pwned
                + ") `touch " + pwned + "`";

        CommandResult first = remote(RemoteScripts.INSTALL_KEY, home.toString(), hostile, BLOB);
        CommandResult second = remote(RemoteScripts.INSTALL_KEY, home.toString(), hostile, BLOB);

        assertThat(first.succeeded()).as(first.toString()).isTrue();
        assertThat(second.succeeded()).as(second.toString()).isTrue();
        assertThat(Files.readAllLines(home.resolve(".ssh/authorized_keys")))
                .containsExactly("ssh-ed25519 OTHERKEY someone", hostile);
        assertThat(pwned).doesNotExist();
        try (var left = Files.list(home.resolve(".ssh"))) {
            assertThat(left).as("no temporary file left").hasSize(1);
        }
    }

    @Test
    void removingTheKey_keepsTheOtherLines_andDeletesAFileItLeavesEmpty() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home/.ssh")).getParent();
        Path keys = home.resolve(".ssh/authorized_keys");
        Files.writeString(keys, "ssh-ed25519 OTHER a\nno-pty ssh-ed25519 " + BLOB + " vigil\n");

        assertThat(remote(RemoteScripts.REMOVE_KEY, home.toString(), BLOB).stdout())
                .isEqualTo("removed\n");
        assertThat(Files.readString(keys)).isEqualTo("ssh-ed25519 OTHER a\n");
        assertThat(remote(RemoteScripts.REMOVE_KEY, home.toString(), BLOB).stdout())
                .isEqualTo("absent\n");

        Files.writeString(keys, "no-pty ssh-ed25519 " + BLOB + " vigil\n");
        assertThat(remote(RemoteScripts.REMOVE_KEY, home.toString(), BLOB).stdout())
                .isEqualTo("removed-file\n");
        assertThat(keys).doesNotExist();
    }

    @Test
    void aDropIn_isRemovedOnlyWhenItStartsWithSetupsMarker() throws Exception {
        Path mine = Files.writeString(dir.resolve("vigil-a"), SudoRules.MARKER + "\nvigil ALL=(root) NOPASSWD: /x\n");
        Path theirs = Files.writeString(dir.resolve("vigil-b"), "# a site's own rule\n");

        assertThat(remote(RemoteScripts.REMOVE_SUDOERS, mine.toString(), SudoRules.MARKER)
                        .stdout())
                .isEqualTo("removed\n");
        assertThat(remote(RemoteScripts.REMOVE_SUDOERS, theirs.toString(), SudoRules.MARKER)
                        .stdout())
                .isEqualTo("not-ours\n");
        assertThat(mine).doesNotExist();
        assertThat(theirs).exists();
    }

    @Test
    void readFile_saysModeOwnerAndContent_orExits3WhenMissing() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "a\nb\n");
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("r--r-----"));

        CommandResult read = remote(RemoteScripts.READ_FILE, file.toString());

        assertThat(read.stdout()).endsWith(" \na\nb\n".substring(2)).startsWith("440 ");
        assertThat(remote(RemoteScripts.READ_FILE, dir.resolve("none").toString())
                        .exitCode())
                .isEqualTo(3);
    }

    @Test
    void theKeyLine_restrictsTheKey_andNamesTheControllerWhenKnown() {
        ServiceKey.Pair pair = new ServiceKey.Pair(dir, "ssh-ed25519 " + BLOB + " vigil@c", BLOB, "SHA256:x");

        assertThat(HostSetup.keyLine(pair, java.util.Optional.of("10.231.0.1")))
                .isEqualTo("from=\"10.231.0.1\",no-port-forwarding,no-agent-forwarding,no-X11-forwarding,no-pty,"
                        + "no-user-rc ssh-ed25519 " + BLOB + " vigil@c");
        assertThat(HostSetup.keyLine(pair, java.util.Optional.empty())).startsWith("no-port-forwarding,");
        for (String bad : List.of("10.0.0.1\",command=\"sh", "any", "10.0.0.1 x", "*")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> HostSetup.checkAddress(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aGeneratedKeyPair_isPrivateToItsOwner_andReadsBack() throws Exception {
        Path key = dir.resolve("keys/id_ed25519");

        ServiceKey.Pair made = ServiceKey.generate(key, "vigil@test");
        ServiceKey.Pair read = ServiceKey.read(key);

        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
                .isEqualTo("rw-------");
        assertThat(read).isEqualTo(made);
        assertThat(Files.readString(Path.of(key + ".pub"))).isEqualTo(made.publicLine() + "\n");
        assertThat(made.publicLine()).startsWith("ssh-ed25519 ").endsWith(" vigil@test");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ServiceKey.generate(key, "again"))
                .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
    }
}
