package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The artifacts of {@code ./mvnw -Pdist package} (src/dist/build), as a person would use them: the Debian package's
 * metadata, paths, permissions and maintainer scripts, the package unpacked and run through its /usr/bin/vigil
 * symlink, lintian's verdict, and the tarball unpacked and run. Skipped unless the dist profile is active
 * ({@code ./mvnw -Pdist verify}), where the artifacts must then be there.
 */
class DistIT {
    private static final Path DIST = Launcher.PROJECT.resolve("target/dist");
    private static final String VERSION = System.getProperty("vigil.version", "0.1.0-SNAPSHOT");
    private static final String DEB_VERSION = VERSION.replace('-', '~');
    private static final Path DEB = DIST.resolve("vigil_" + DEB_VERSION + "_all.deb");
    private static final Path TARBALL = DIST.resolve("vigil-" + VERSION + ".tar.gz");

    @TempDir
    Path tmp;

    DistIT() {
        assumeTrue(Boolean.getBoolean("vigil.dist"), "the dist profile is off (./mvnw -Pdist verify)");
        assertThat(DEB).as("./mvnw -Pdist package makes it").isRegularFile();
        assertThat(TARBALL).as("./mvnw -Pdist package makes it").isRegularFile();
    }

    private Launcher.Result run(String... argv) throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        Launcher.Result result = Launcher.run(home, Map.of(), List.of(argv));
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return result;
    }

    @Test
    void deb_info_namesThePackage_andNoJavaItCannotGetFromDebian() throws Exception {
        String info = run("dpkg-deb", "--info", DEB.toString()).out();
        assertThat(info)
                .contains(" Package: vigil\n", " Version: " + DEB_VERSION + "\n", " Architecture: all\n")
                .contains(" Suggests: temurin-25-jre | temurin-25-jdk\n")
                .contains("Debian 12 does not package")
                .doesNotContain("Depends:");
    }

    @Test
    void deb_contents_standardPaths_rootOwned_theLauncherExecutable_andNothingInEtcOrVar() throws Exception {
        List<String> lines =
                run("dpkg-deb", "--contents", DEB.toString()).out().lines().toList();
        assertThat(lines).allSatisfy(line -> assertThat(line).contains(" root/root "));
        assertThat(lines)
                .anySatisfy(line -> assertThat(line).startsWith("-rwxr-xr-x").endsWith(" ./usr/share/vigil/bin/vigil"))
                .anySatisfy(line -> assertThat(line)
                        .startsWith("lrwxrwxrwx")
                        .endsWith(" ./usr/bin/vigil -> ../share/vigil/bin/vigil"))
                .anySatisfy(line -> assertThat(line).startsWith("-rw-r--r--").endsWith(" ./usr/share/vigil/vigil.jar"))
                .anySatisfy(line -> assertThat(line).matches(".* \\./usr/share/vigil/lib/picocli-[0-9.]+\\.jar"))
                .anySatisfy(line -> assertThat(line).endsWith(" ./usr/share/vigil/deploy/prometheus/vigil-rules.yml"))
                .anySatisfy(line -> assertThat(line).endsWith(" ./usr/share/vigil/deploy/grafana/vigil-dashboard.json"))
                .anySatisfy(line -> assertThat(line).endsWith(" ./usr/share/doc/vigil/README.md"))
                .anySatisfy(line -> assertThat(line).endsWith(" ./usr/share/doc/vigil/docs/systemd.md"))
                .anySatisfy(line -> assertThat(line).endsWith(" ./usr/share/doc/vigil/copyright"))
                .anySatisfy(line -> assertThat(line).endsWith(" ./usr/share/doc/vigil/changelog.gz"))
                .anySatisfy(line -> assertThat(line).endsWith(" ./usr/share/doc/vigil/examples/quickstart.toml"))
                .anySatisfy(line -> assertThat(line).endsWith(" ./lib/systemd/system/vigil.service"))
                .anySatisfy(line -> assertThat(line).endsWith(" ./lib/systemd/system/vigil@.service"))
                .anySatisfy(line -> assertThat(line).endsWith(" ./usr/lib/systemd/user/vigil.service"))
                // /etc/vigil is the admin's, and no unit is enabled (an enabled unit is a symlink in /etc)
                .noneSatisfy(line -> assertThat(line).contains(" ./etc/"))
                .noneSatisfy(line -> assertThat(line).contains(" ./var/"));
        assertThat(lines).filteredOn(line -> line.startsWith("-")).allSatisfy(line -> assertThat(line)
                .matches("-rw[x-]r-[x-]r-[x-] .*"));
    }

    @Test
    void maintainerScripts_startAndEnableNothing() throws Exception {
        Path control = tmp.resolve("DEBIAN");
        run("dpkg-deb", "--control", DEB.toString(), control.toString());
        try (var scripts = Files.list(control)) {
            assertThat(scripts.map(script -> script.getFileName().toString()))
                    .containsExactlyInAnyOrder("control", "postinst", "postrm");
        }
        for (String script : List.of("postinst", "postrm")) {
            assertThat(control.resolve(script))
                    .content()
                    .doesNotContainPattern("systemctl|deb-systemd|invoke-rc\\.d|service ");
        }
    }

    @Test
    void dpkgInstall_intoAnotherRoot_makesTheStateDirectory0750_runsVigil_andPurgeRemovesAllItAdded() throws Exception {
        // A real install by dpkg, into a scratch root with its own database: the maintainer scripts run (chrootless,
        // with DPKG_ROOT set to the scratch root), as on a host.
        Path root = tmp.resolve("root");
        Files.createDirectories(root.resolve("var/lib/dpkg/updates"));
        Files.createDirectories(root.resolve("var/lib/dpkg/info"));
        Files.createFile(root.resolve("var/lib/dpkg/status"));
        List<String> dpkg =
                List.of("dpkg", "--root=" + root, "--force-script-chrootless", "--log=/dev/null", "--no-triggers");

        run(concat(dpkg, "-i", DEB.toString()));
        assertThat(Files.getPosixFilePermissions(root.resolve("var/lib/vigil")))
                .isEqualTo(PosixFilePermissions.fromString("rwxr-x---"));
        assertThat(root.resolve("etc")).doesNotExist();
        assertThat(run(root.resolve("usr/bin/vigil").toString(), "version").out())
                .startsWith("vigil " + VERSION + "\n");

        run(concat(dpkg, "--purge", "vigil"));
        try (var left = Files.walk(root)) {
            assertThat(left.map(root::relativize).map(Path::toString))
                    .allMatch(path -> path.isEmpty() || path.equals("var") || path.startsWith("var/lib"))
                    .doesNotContain("var/lib/vigil", "usr");
        }
    }

    private static String[] concat(List<String> head, String... tail) {
        List<String> all = new java.util.ArrayList<>(head);
        all.addAll(List.of(tail));
        return all.toArray(String[]::new);
    }

    @Test
    void deb_unpacked_runsThroughTheUsrBinSymlink_writesItsSystemdUnitAndItsContainerfile() throws Exception {
        Path root = tmp.resolve("root");
        run("dpkg", "-x", DEB.toString(), root.toString());
        Path vigil = root.resolve("usr/bin/vigil");
        assertThat(Files.isSymbolicLink(vigil)).isTrue();

        assertThat(run(vigil.toString(), "version").out()).startsWith("vigil " + VERSION + "\njava 25");

        Path scratch = tmp.resolve("scratch");
        String unit = run(vigil.toString(), "install", "systemd", "--dry-run", "--root", scratch.toString())
                .out();
        // the launcher resolved the symlink: ExecStart= names the real launcher
        assertThat(unit).contains("ExecStart=" + root.resolve("usr/share/vigil/bin/vigil") + " daemon\n");
        assertThat(scratch).doesNotExist();

        assertThat(root.resolve("lib/systemd/system/vigil.service"))
                .content()
                .contains("ExecStart=/usr/share/vigil/bin/vigil daemon\n", "KillMode=process\n");

        // vigil install container names this installation as the build context, and what its Containerfile copies
        // is there
        Path image = tmp.resolve("image");
        Path share = root.resolve("usr/share/vigil");
        assertThat(run(vigil.toString(), "install", "container", "--output", image.toString())
                        .out())
                .contains(" -f " + image.resolve("Containerfile") + " " + share + "\n")
                .doesNotContain("has no vigil.jar");
        List<String> copied = Files.readAllLines(image.resolve("Containerfile")).stream()
                .filter(line -> line.startsWith("COPY "))
                .map(line -> line.split(" ")[1])
                .toList();
        assertThat(copied).containsExactly("bin/vigil", "vigil.jar", "lib/");
        assertThat(copied).allSatisfy(path -> assertThat(share.resolve(path)).exists());
    }

    @Test
    void lintian_reportsNoError() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/lintian")), "lintian is not installed");
        Launcher.Result lint = run("lintian", "--fail-on", "error", "--tag-display-limit", "0", DEB.toString());
        assertThat(lint.out()).doesNotContainPattern("(?m)^E: ");
    }

    @Test
    void tarball_unpacked_runsBinVigil() throws Exception {
        List<String> listing =
                run("tar", "-tvzf", TARBALL.toString()).out().lines().toList();
        String top = "vigil-" + VERSION + "/";
        assertThat(listing).allSatisfy(line -> assertThat(line).contains(" 0/0 ")); // --numeric-owner: root
        assertThat(listing)
                .anySatisfy(line -> assertThat(line).startsWith("-rwxr-xr-x").endsWith(" " + top + "bin/vigil"))
                .anySatisfy(line -> assertThat(line).endsWith(" " + top + "vigil.jar"))
                .anySatisfy(line -> assertThat(line).matches(".* " + top + "lib/picocli-[0-9.]+\\.jar"))
                .anySatisfy(line -> assertThat(line).endsWith(" " + top + "README.md"))
                .anySatisfy(line -> assertThat(line).endsWith(" " + top + "docs/systemd.md"))
                .anySatisfy(line -> assertThat(line).endsWith(" " + top + "deploy/prometheus/vigil-rules.yml"))
                .anySatisfy(line -> assertThat(line).endsWith(" " + top + "examples/quickstart.toml"));

        run("tar", "-xzf", TARBALL.toString(), "-C", tmp.toString());
        Path vigil = tmp.resolve(top + "bin/vigil");
        assertThat(run(vigil.toString(), "version").out()).startsWith("vigil " + VERSION + "\n");
        // and through a symlink elsewhere, as /usr/local/bin/vigil would be
        Path link = Files.createSymbolicLink(tmp.resolve("vigil"), vigil);
        assertThat(run(link.toString(), "version").out()).startsWith("vigil " + VERSION + "\n");
    }
}
