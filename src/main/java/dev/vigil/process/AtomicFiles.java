package dev.vigil.process;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/** Writes a file so that a reader sees the old content or the new, never half (temp file, fsync, rename). */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Writes {@code content}, readable by the owner only (the temporary file's mode, 0600). */
    public static void write(Path file, String content) throws IOException {
        write(file, content, Set.of());
    }

    /**
     * Writes {@code content} with the given mode (for example 0644 for a file other programs read); an empty set keeps
     * the temporary file's 0600. The mode is set before the rename, so the file never appears with another one.
     */
    public static void write(Path file, String content, Set<PosixFilePermission> mode) throws IOException {
        write(file, content, mode, true);
    }

    /**
     * As {@link #write(Path, String, Set)}; without {@code sync} the data is not forced to disk before the rename:
     * readers still never see half a file, but a power cut may leave it empty. Right for pidfiles and identity
     * records, which are rewritten on every start and recovered by a scan, and which must not cost a restart an
     * fsync.
     */
    public static void write(Path file, String content, Set<PosixFilePermission> mode, boolean sync)
            throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
                if (sync) {
                    channel.force(true);
                }
            }
            if (!mode.isEmpty()) {
                Files.setPosixFilePermissions(temp, mode);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
