package dev.vigil.install;

import dev.vigil.install.InstallReport.Action;
import dev.vigil.install.InstallReport.NextStep;
import dev.vigil.process.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Writes a Vigil unit file: atomically (a reader, systemd included, sees the old file or the new one), mode 0644 as
 * systemd's own units, and never over a file with other content unless asked to, since that may be a person's edit.
 */
public final class Installer {
    private static final Set<PosixFilePermission> UNIT_MODE = PosixFilePermissions.fromString("rw-r--r--");

    private Installer() {}

    /** Installs {@code request.unit()}, or in a dry run only says what it would do. */
    public static InstallReport install(InstallRequest request) throws InstallException {
        Path file = request.file();
        String content = request.unit().render();
        Optional<String> existing = read(file);
        Action action;
        String message;
        if (existing.isEmpty()) {
            action = Action.CREATED;
            message = action.verb(request.dryRun()) + " " + file;
        } else if (existing.get().equals(content)) {
            action = Action.UNCHANGED;
            message = file + " is already up to date; nothing written";
        } else if (request.force()) {
            action = Action.REPLACED;
            message = action.verb(request.dryRun()) + " " + file + ", which differed: "
                    + firstDifference(existing.get(), content);
        } else {
            action = Action.REFUSED;
            message = file + " exists and differs from the unit Vigil generates ("
                    + firstDifference(existing.get(), content)
                    + "); nothing written. See the new unit with --dry-run, replace the file with --force, and keep"
                    + " local settings in a drop-in (systemctl"
                    + (request.unit().kind() == UnitKind.USER ? " --user" : "")
                    + " edit " + request.unit().kind().fileName() + ")";
        }
        if (!request.dryRun() && (action == Action.CREATED || action == Action.REPLACED)) {
            write(request, content);
        }
        List<NextStep> next = action == Action.REFUSED ? List.of() : nextSteps(request, action);
        return new InstallReport(file, content, action, request.dryRun(), message, next);
    }

    private static Optional<String> read(Path file) throws InstallException {
        try {
            return Optional.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new InstallException("cannot read the existing " + file + ": " + e, e);
        }
    }

    private static void write(InstallRequest request, String content) throws InstallException {
        try {
            AtomicFiles.write(request.file(), content, UNIT_MODE);
        } catch (AccessDeniedException e) {
            String hint = request.unit().kind() == UnitKind.USER
                    ? "check who owns " + request.directory()
                    : "system units need root: run it with sudo, or install a unit for your own account with --user";
            throw new InstallException("cannot write " + request.file() + ": permission denied; " + hint, e);
        } catch (IOException e) {
            throw new InstallException("cannot write " + request.file() + ": " + e, e);
        }
    }

    /** "line 12 is "X", would be "Y"", for a person deciding whether the difference is theirs. */
    static String firstDifference(String existing, String generated) {
        List<String> old = existing.lines().toList();
        List<String> now = generated.lines().toList();
        for (int i = 0; i < Math.max(old.size(), now.size()); i++) {
            String was = i < old.size() ? old.get(i) : null;
            String will = i < now.size() ? now.get(i) : null;
            if (was == null) {
                return "line " + (i + 1) + " is missing, would be \"" + will + "\"";
            }
            if (will == null) {
                return "line " + (i + 1) + " is \"" + was + "\", which would go";
            }
            if (!was.equals(will)) {
                return "line " + (i + 1) + " is \"" + was + "\", would be \"" + will + "\"";
            }
        }
        return "they differ in line endings only";
    }

    private static List<NextStep> nextSteps(InstallRequest request, Action action) {
        UnitKind kind = request.unit().kind();
        String systemctl = String.join(" ", kind.systemctl());
        List<NextStep> steps = new ArrayList<>();
        steps.add(
                new NextStep(systemctl + " daemon-reload", "systemd reads unit files only at start and when told to"));
        switch (kind) {
            case SYSTEM ->
                steps.add(new NextStep(systemctl + " enable --now vigil", "starts Vigil now and at every boot"));
            case USER -> {
                steps.add(new NextStep(
                        systemctl + " enable --now vigil", "starts Vigil now and whenever your user manager starts"));
                steps.add(new NextStep(
                        "loginctl enable-linger " + request.account(),
                        "without lingering, systemd starts your user manager at your first login and stops it, with"
                                + " Vigil and every service Vigil started, at your last logout; lingering keeps it"
                                + " running from boot to shutdown"));
            }
            case TEMPLATE ->
                steps.add(new NextStep(
                        systemctl + " enable --now vigil@USER",
                        "for each account to watch: vigil@alice runs a daemon as alice, with"
                                + " ~alice/.config/vigil/vigil.toml, now and at every boot"));
        }
        if (action == Action.REPLACED) {
            String running = kind == UnitKind.TEMPLATE ? "'vigil@*'" : "vigil";
            steps.add(new NextStep(
                    systemctl + " try-restart " + running,
                    "a running Vigil keeps the old unit's settings until it restarts; its services keep running"
                            + " (KillMode=process)"));
        }
        return List.copyOf(steps);
    }
}
