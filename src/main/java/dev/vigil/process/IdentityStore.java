package dev.vigil.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.process.linux.ProcFs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The identity of each service's process as Vigil last verified it: pid, start time, uid, command line and boot id,
 * one small JSON file per service in {@code STATE_DIR/identity}. A pid read from a pidfile counts as the service only
 * when it matches this record (or, with no record, the service's proctitle_re), so a reused pid is never mistaken for
 * the service.
 */
public final class IdentityStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;

    public IdentityStore(Path stateDir) {
        this.dir = stateDir.resolve("identity");
    }

    /** A stored identity; {@code bootId} tells whether it is from this boot. */
    public record Record(ProcessIdentity identity, String bootId) {
        public boolean fromThisBoot() {
            return bootId.equals(ProcFs.bootId());
        }
    }

    public Optional<Record> read(String service) {
        try {
            JsonNode node = JSON.readTree(Files.readString(file(service)));
            List<String> cmdline = new ArrayList<>();
            node.path("cmdline").forEach(arg -> cmdline.add(arg.asText()));
            ProcessIdentity identity = new ProcessIdentity(
                    node.path("pid").asLong(),
                    node.path("start_ticks").asLong(),
                    node.path("uid").asInt(),
                    cmdline);
            return Optional.of(new Record(identity, node.path("boot_id").asText("")));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            // a damaged record is as good as none: the pid is then checked against proctitle_re alone
            return Optional.empty();
        }
    }

    public void write(String service, ProcessIdentity identity) throws IOException {
        ObjectNode node = JSON.createObjectNode();
        node.put("pid", identity.pid());
        node.put("start_ticks", identity.startTicks());
        node.put("uid", identity.uid());
        node.put("boot_id", ProcFs.bootId());
        ArrayNode cmdline = node.putArray("cmdline");
        identity.cmdline().forEach(cmdline::add);
        AtomicFiles.write(file(service), JSON.writeValueAsString(node) + "\n", java.util.Set.of(), false);
    }

    public void delete(String service) throws IOException {
        Files.deleteIfExists(file(service));
    }

    private Path file(String service) {
        return dir.resolve(service + ".json");
    }
}
