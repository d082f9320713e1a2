package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testfleet.TestFleet;
import dev.vigil.testfleet.TestFleetExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil setup hosts} on a terminal (a pseudo-terminal from util-linux's {@code script}), as a person runs it
 * on a fresh host: it shows the host's key and asks; anything but yes or no is asked again; "no" records nothing and
 * leaves the host alone; "yes" records the key and provisions the host. Without a terminal (every other test) it
 * never asks.
 */
@Tag("fleet")
@ExtendWith(TestFleetExtension.class)
class SetupPromptIT {
    private static final String USER = "vigilprompt";
    private static final String HOST = "xrd03";

    @TempDir
    Path home;

    private final TestFleet fleet;
    private Path config;

    SetupPromptIT(TestFleet fleet) {
        this.fleet = fleet;
    }

    private Path config() throws Exception {
        TestFleet.Host host = fleet.host(HOST);
        return Files.writeString(home.resolve("vigil.toml"), """
                state_dir = "%s"

                [ssh]
                known_hosts = "%s"
                user = "%s"
                keys = ["%s"]
                use_agent = false
                sudo = true

                [host.%s]
                address = "%s"
                classes = ["data"]

                [rollout.xrd]
                preset = "xrootd"
                hosts = "data"
                """.formatted(
                        home.resolve("state"),
                        home.resolve("known_hosts"),
                        USER,
                        home.resolve("vigil_ed25519"),
                        host.name(),
                        host.address()));
    }

    /** bin/vigil setup hosts on a pseudo-terminal, typing ANSWERS; its output as the terminal showed it. */
    private Launcher.Result onTerminal(String answers, String... more) throws Exception {
        Path typed = Files.writeString(home.resolve("typed.txt"), answers);
        StringBuilder command =
                new StringBuilder(Launcher.VIGIL + " -c " + config + " setup hosts --admin-key " + fleet.adminKey());
        for (String arg : more) {
            command.append(' ').append(arg);
        }
        Path out = home.resolve("terminal.txt");
        Process p = new ProcessBuilder("script", "--quiet", "--return", "--command", command.toString(), "/dev/null")
                .directory(Launcher.PROJECT.toFile())
                .redirectInput(typed.toFile())
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        assertThat(p.waitFor(3, TimeUnit.MINUTES))
                .as("setup hosts on a terminal ended")
                .isTrue();
        String shown = Files.readString(out).replace("\r\n", "\n");
        System.err.println("SetupPromptIT: answered " + answers.strip().replace('\n', ',') + ":\n" + shown);
        return new Launcher.Result(p.exitValue(), shown, "");
    }

    private String users() {
        return fleet.exec(HOST, "sh", "-c", "getent passwd " + USER + "; ls -A /etc/sudoers.d")
                .output();
    }

    @AfterEach
    void removeWhatSetupAdded() throws Exception {
        if (config != null && Files.exists(home.resolve("known_hosts"))) {
            Launcher.Result r = Launcher.vigil(
                    home,
                    Duration.ofMinutes(3),
                    config,
                    "setup",
                    "hosts",
                    "--remove",
                    "--admin-key",
                    fleet.adminKey().toString());
            System.err.println("SetupPromptIT: --remove: " + r.out());
        }
    }

    @Test
    void onATerminal_theHostKeyIsAskedFor_noLeavesTheHostAlone_yesProvisionsIt() throws Exception {
        config = config();
        String before = users();

        Launcher.Result no = onTerminal("maybe\nno\n");

        assertThat(no.exitCode()).as(no.out()).isEqualTo(1);
        assertThat(no.out())
                .contains(fleet.host(HOST).address() + ":22) offers host key ssh-ed25519 SHA256:")
                .contains("[yes/no]")
                .contains("please answer yes or no")
                .contains("not confirmed: not recorded, host left alone");
        assertThat(users()).as("nothing done on the host").isEqualTo(before);
        assertThat(home.resolve("known_hosts"))
                .satisfiesAnyOf(f -> assertThat(f).doesNotExist(), f -> assertThat(Files.readString(f))
                        .doesNotContain(fleet.host(HOST).address()));

        Launcher.Result yes = onTerminal("yes\n");

        assertThat(yes.exitCode()).as(yes.out()).isZero();
        assertThat(yes.out()).contains("recorded ssh-ed25519", "created system user " + USER);
        assertThat(Files.readString(home.resolve("known_hosts")))
                .contains(fleet.host(HOST).address());
        assertThat(users()).contains(USER + ":x:", "vigil-" + USER);

        Launcher.Result again = onTerminal("");

        assertThat(again.exitCode()).as(again.out()).isZero();
        assertThat(again.out()).as("a recorded key is not asked about again").doesNotContain("[yes/no]");
    }
}
