package dev.vigil.fleet.ssh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/**
 * The keys recorded in OpenSSH known_hosts files: plain and {@code [host]:port} names, comma lists, wildcards, hashed
 * {@code |1|salt|hash} names and comments, parsed by MINA's {@link KnownHostEntry}. A file is re-read only when its
 * size or modification time changes, so that a sweep of a thousand hosts does not parse it a thousand times.
 */
final class KnownHosts {
    /** One recorded key and where it is, for messages. */
    record Recorded(Path file, int line, KnownHostEntry entry, PublicKey key) {
        String keyType() {
            return KeyUtils.getKeyType(key);
        }

        String where() {
            return file + ":" + line;
        }
    }

    private record Parsed(long size, FileTime modified, List<Recorded> entries) {}

    private final List<Path> files;
    private final Map<Path, Parsed> cache = new ConcurrentHashMap<>();

    KnownHosts(List<Path> files) {
        this.files = List.copyOf(files);
    }

    List<Path> files() {
        return files;
    }

    /** Every recorded key whose host patterns match one of {@code names} on {@code port}, in file order. */
    List<Recorded> lookup(List<String> names, int port) {
        List<Recorded> found = new ArrayList<>();
        for (Path file : files) {
            for (Recorded r : entries(file)) {
                if (names.stream().anyMatch(n -> r.entry().isHostMatch(n, port))) {
                    found.add(r);
                }
            }
        }
        return found;
    }

    private List<Recorded> entries(Path file) {
        try {
            long size = Files.size(file);
            FileTime modified = Files.getLastModifiedTime(file);
            Parsed parsed = cache.get(file);
            if (parsed == null || parsed.size() != size || !parsed.modified().equals(modified)) {
                parsed = new Parsed(size, modified, parse(file));
                cache.put(file, parsed);
            }
            return parsed.entries();
        } catch (NoSuchFileException e) {
            return List.of(); // a missing file records nothing, as with OpenSSH
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read known_hosts file " + file, e);
        }
    }

    private static List<Recorded> parse(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Recorded> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            // @cert-authority and @revoked lines are not plain host keys: not trusted here
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("@")) {
                continue;
            }
            try {
                KnownHostEntry entry = KnownHostEntry.parseKnownHostEntry(line);
                PublicKey key = entry == null || entry.getKeyEntry() == null
                        ? null
                        : entry.getKeyEntry().resolvePublicKey(null, Map.of(), PublicKeyEntryResolver.IGNORING);
                if (key != null) {
                    entries.add(new Recorded(file, i + 1, entry, key));
                }
            } catch (Exception e) {
                // OpenSSH skips a line it cannot read; so do we (an unusable line can only make a host unknown)
            }
        }
        return entries;
    }

    /** Forgets a file's parsed entries (after appending to it). */
    void invalidate(Path file) {
        cache.remove(file);
    }
}
