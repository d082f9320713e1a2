package dev.vigil.install;

import java.nio.file.Path;

/**
 * What to install and where.
 *
 * @param directory where the unit file goes; {@link UnitKind#directory} gives the one systemd reads
 * @param account the account running the installer, named in the next steps of a user unit (loginctl enable-linger)
 * @param force replace an existing unit file that differs
 * @param dryRun decide and describe everything, write nothing
 */
public record InstallRequest(VigilUnit unit, Path directory, String account, boolean force, boolean dryRun) {
    /** The unit file's full path. */
    public Path file() {
        return directory.resolve(unit.kind().fileName());
    }
}
