package dev.vigil.cli;

import dev.vigil.config.ConfigError;
import dev.vigil.config.ConfigException;
import dev.vigil.config.VigilConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
        name = "check-config",
        description = "Validate the configuration and print every error; touches no service. Exit 6 when invalid.",
        mixinStandardHelpOptions = true)
final class CheckConfigCommand implements Callable<Integer> {
    @ParentCommand
    VigilCommand root;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "Print the result as a JSON object.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            VigilConfig config = Session.loadConfig(root);
            if (json) {
                Map<String, Object> map = new LinkedHashMap<>();
                map.put("ok", true);
                map.put("files", config.files().stream().map(Path::toString).toList());
                map.put(
                        "services",
                        config.services().stream().map(s -> s.name()).toList());
                map.put(
                        "hosts",
                        config.inventory().hosts().stream().map(h -> h.name()).toList());
                map.put("errors", java.util.List.of());
                out.println(Json.write(map));
            } else {
                out.println("OK: " + config.source() + " ("
                        + count(config.files().size(), "file") + ", "
                        + count(config.services().size(), "service")
                        + (config.inventory().hosts().isEmpty()
                                ? ""
                                : ", " + count(config.inventory().hosts().size(), "host"))
                        + ")");
            }
            return ExitCodes.SUCCESS;
        } catch (ConfigException e) {
            if (json) {
                Map<String, Object> map = new LinkedHashMap<>();
                map.put("ok", false);
                map.put(
                        "errors",
                        e.errors().stream().map(CheckConfigCommand::error).toList());
                out.println(Json.write(map));
            } else {
                spec.commandLine().getErr().println(ConfigReport.describe(e));
            }
            return ExitCodes.NOT_CONFIGURED;
        }
    }

    static Map<String, Object> error(ConfigError error) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("file", error.file().toString());
        map.put("line", error.line());
        map.put("key", error.key());
        map.put("found", error.found());
        map.put("rule", error.rule());
        map.put("message", error.toString());
        return map;
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
