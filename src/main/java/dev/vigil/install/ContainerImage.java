package dev.vigil.install;

import dev.vigil.process.AtomicFiles;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A container image that runs {@code vigil daemon} (docs/container.md): its Containerfile, and the {@code podman build}
 * and {@code podman run} commands for it. The build context is a Vigil installation, the layout the tarball and the
 * Debian package share: {@code bin/vigil}, {@code vigil.jar}, {@code lib/}. {@link #render()} is the same for the same
 * version (no date in it).
 *
 * @param version Vigil's version, the image's tag
 */
public record ContainerImage(String version) {
    /**
     * Eclipse Temurin's Java 25 runtime on Ubuntu 24.04, the smallest JDK 25 runtime image on Docker Hub that has what
     * bin/vigil and Vigil need: bash, and glibc for the native calls (pidfd_open) and sqlite-jdbc. The {@code -alpine}
     * variant is smaller but has neither.
     */
    public static final String BASE_IMAGE = "eclipse-temurin:25-jre";

    /** The image's non-root user, high enough to match no account of the host. */
    public static final int UID = 10001;

    public static final String FILE_NAME = "Containerfile";
    public static final String CONFIG_DIR = "/etc/vigil";
    public static final String STATE_DIR = "/var/lib/vigil";
    /** Where the daemon binds its control socket in the image: in the state directory (no XDG_RUNTIME_DIR there). */
    public static final String CONTROL_SOCKET = STATE_DIR + "/control.sock";

    public static final int METRICS_PORT = dev.vigil.metrics.MetricsServer.DEFAULT_PORT;

    public ContainerImage {
        if (!version.matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")) {
            throw new IllegalArgumentException("\"" + version + "\" cannot be an image tag");
        }
    }

    /** {@code vigil:VERSION}. */
    public String tag() {
        return "vigil:" + version;
    }

    /** The Containerfile's text. */
    public String render() {
        return """
                # Containerfile for Vigil %1$s, written by `vigil install container` (docs/container.md).
                # The build context is a Vigil installation (bin/vigil, vigil.jar, lib/): /usr/share/vigil from
                # the Debian package, or the unpacked vigil-%1$s.tar.gz:
                #   podman build -t %2$s -f Containerfile CONTEXT
                # %3$s: the Temurin 25 runtime on Ubuntu, with the bash and glibc that bin/vigil and
                # Vigil's native calls need (the -alpine variant is smaller but has neither).
                FROM %3$s

                # A non-root user: the daemon watches its fleet over SSH and its checks and alerts need no root.
                RUN groupadd --system --gid %4$d vigil \\
                    && useradd --system --uid %4$d --gid vigil --home-dir %6$s --no-create-home \\
                        --shell /usr/sbin/nologin vigil \\
                    && install -d -m 0755 %5$s \\
                    && install -d -m 0750 -o vigil -g vigil %6$s

                COPY bin/vigil /opt/vigil/bin/vigil
                COPY vigil.jar /opt/vigil/vigil.jar
                COPY lib/ /opt/vigil/lib/
                RUN ln -s /opt/vigil/bin/vigil /usr/local/bin/vigil

                # The configuration is mounted read-only at %5$s; state (the state database, the control
                # socket, the launcher's class-data archives in ~/.cache) lives in %6$s, the vigil user's home.
                ENV VIGIL_CONFIG=%5$s/vigil.toml \\
                    XDG_STATE_HOME=/var/lib
                VOLUME ["%5$s", "%6$s"]

                # Metrics: set metrics_listen = "0.0.0.0:%7$d" in vigil.toml. Vigil binds 127.0.0.1 by default,
                # which inside a container no one outside can reach.
                EXPOSE %7$d

                USER vigil
                WORKDIR %6$s

                # Healthy while the daemon serves its control socket. Not `vigil status`, whose exit code says
                # whether the watched services run, which is Vigil's business, not the container's. Three
                # failures 30 s apart make it unhealthy; the daemon binds the socket within seconds of starting.
                HEALTHCHECK --interval=30s --timeout=5s --retries=3 \\
                    CMD ["test", "-S", "%8$s"]

                ENTRYPOINT ["vigil", "daemon"]
                """.formatted(version, tag(), BASE_IMAGE, UID, CONFIG_DIR, STATE_DIR, METRICS_PORT, CONTROL_SOCKET);
    }

    /** {@code ENGINE build -t vigil:VERSION -f CONTAINERFILE CONTEXT}. */
    public List<String> buildCommand(String engine, Path containerfile, Path context) {
        return List.of(engine, "build", "-t", tag(), "-f", containerfile.toString(), context.toString());
    }

    /**
     * {@code ENGINE run}, one argument a line when printed: restarted always, the configuration and the fleet's SSH key
     * and known_hosts mounted read-only, state in the named volume {@code vigil-state}, metrics published on the host's
     * loopback only, and an init as PID 1 to reap the orphans of the services Vigil starts.
     */
    public List<List<String>> runCommand(String engine) {
        return List.of(
                List.of(engine, "run", "-d"),
                List.of("--name", "vigil"),
                List.of("--restart=always"),
                List.of("--init"),
                List.of("-v", CONFIG_DIR + "/vigil.toml:" + CONFIG_DIR + "/vigil.toml:ro"),
                List.of("-v", CONFIG_DIR + "/id_ed25519:" + CONFIG_DIR + "/id_ed25519:ro"),
                List.of("-v", CONFIG_DIR + "/known_hosts:" + CONFIG_DIR + "/known_hosts:ro"),
                List.of("-v", "vigil-state:" + STATE_DIR),
                List.of("-p", "127.0.0.1:" + METRICS_PORT + ":" + METRICS_PORT),
                List.of(tag()));
    }

    /**
     * Writes the Containerfile into {@code directory} (made if missing), mode 0644. An existing file is replaced only
     * with {@code force}: it may hold a person's edits.
     *
     * @return whether a file was replaced
     * @throws InstallException when the file exists and {@code force} is off, or cannot be written
     */
    public boolean write(Path directory, boolean force) throws InstallException {
        Path file = directory.resolve(FILE_NAME);
        boolean exists = Files.exists(file);
        if (exists && !force) {
            throw new InstallException(
                    file + " exists; nothing written. Replace it with --force, or write elsewhere with --output DIR",
                    null);
        }
        try {
            Files.createDirectories(directory);
            AtomicFiles.write(file, render(), PosixFilePermissions.fromString("rw-r--r--"));
        } catch (AccessDeniedException e) {
            throw new InstallException("cannot write " + file + ": permission denied", e);
        } catch (IOException e) {
            throw new InstallException("cannot write " + file + ": " + e, e);
        }
        return exists;
    }
}
