package dev.vigil.cli;

import dev.vigil.config.ConfigError;
import dev.vigil.config.ConfigException;
import dev.vigil.config.imports.Mapping;
import dev.vigil.config.imports.Translation;
import dev.vigil.config.imports.XrootdrestartImport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vigil import xrootdrestart FILE}: another tool's configuration as Vigil TOML (docs/migrating-...md). */
@Command(
        name = "import",
        description = "Turn another tool's configuration into Vigil TOML.",
        mixinStandardHelpOptions = true,
        subcommands = {ImportCommand.Xrootdrestart.class})
final class ImportCommand {

    @Command(
            name = "xrootdrestart",
            description = "Turn an xrootdrestart.conf into Vigil TOML with the same behaviour, and say which options"
                    + " changed meaning or are not needed (docs/migrating-from-xrootdrestart.md). Exit 6 when the"
                    + " file cannot be read or used, 2 on bad arguments or an existing --output file.",
            mixinStandardHelpOptions = true)
    static final class Xrootdrestart implements Callable<Integer> {
        private static final String NAME = "vigil import xrootdrestart";

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "The xrootdrestart.conf to import.")
        Path file;

        @Option(
                names = "--output",
                paramLabel = "FILE",
                description =
                        "Write the TOML to this new file (an existing one is never overwritten); default: stdout.")
        Path output;

        @Option(names = "--json", description = "Print the mapping, the notes and the TOML as one JSON object.")
        boolean json;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (output != null && Files.exists(output, LinkOption.NOFOLLOW_LINKS)) {
                return refuse(err);
            }
            Translation t;
            try {
                t = XrootdrestartImport.importFile(file);
            } catch (ConfigException e) {
                if (json) {
                    out.println(Json.write(ConfigReport.json(e)));
                } else {
                    err.println(NAME + ": " + file + " cannot be imported ("
                            + e.errors().size() + (e.errors().size() == 1 ? " error" : " errors")
                            + "); nothing was written:");
                    for (ConfigError error : e.errors()) {
                        err.println("  " + error);
                    }
                }
                return ExitCodes.NOT_CONFIGURED;
            }
            if (output != null) {
                try {
                    Files.writeString(output, t.toml(), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
                } catch (FileAlreadyExistsException e) {
                    return refuse(err);
                }
            }
            if (json) {
                out.println(Json.write(json(t)));
                return ExitCodes.SUCCESS;
            }
            if (output == null) {
                out.print(t.toml());
                out.flush();
            }
            for (String note : t.messages()) {
                err.println("note: " + note);
            }
            if (output != null) {
                err.println(NAME + ": wrote " + output + "; review it, then `vigil check-config -c " + output + "`");
            }
            return ExitCodes.SUCCESS;
        }

        private int refuse(PrintWriter err) {
            err.println(
                    NAME + ": --output " + output + " exists; it is not overwritten: remove it or name another file");
            return ExitCodes.INVALID_ARGUMENTS;
        }

        private Map<String, Object> json(Translation t) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("ok", true);
            map.put("file", t.file().toString());
            map.put("output", output == null ? null : output.toString());
            map.put("options", t.mappings().stream().map(Xrootdrestart::json).toList());
            map.put("notes", t.notes());
            map.put("messages", t.messages());
            map.put("toml", t.toml());
            return map;
        }

        private static Map<String, Object> json(Mapping m) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("option", m.option());
            map.put("line", m.line());
            map.put("value", m.value());
            map.put("verdict", m.verdict().text);
            map.put("vigil", m.vigil().isEmpty() ? null : m.vigil());
            map.put("note", m.note());
            return map;
        }
    }
}
