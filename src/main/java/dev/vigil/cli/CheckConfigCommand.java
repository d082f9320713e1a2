package dev.vigil.cli;

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
                out.println(Json.write(ConfigReport.json(e)));
            } else {
                spec.commandLine().getErr().println(ConfigReport.describe(e));
            }
            return ExitCodes.NOT_CONFIGURED;
        }
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
