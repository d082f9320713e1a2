package dev.vigil.cli;

import dev.vigil.config.DriverSpec;
import dev.vigil.config.ServiceConfig;
import dev.vigil.config.VigilConfig;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
        name = "list",
        description = "List the configured services without looking at their processes.",
        mixinStandardHelpOptions = true)
final class ListCommand implements Callable<Integer> {
    @ParentCommand
    VigilCommand root;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "Print a JSON array of objects.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        VigilConfig config = Session.loadConfig(root);
        if (json) {
            out.println(Json.write(config.services().stream()
                    .map(s -> Json.service(s, what(s)))
                    .toList()));
            return ExitCodes.SUCCESS;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "DRIVER", "ENABLED", "AUTOSTART", "WHAT", "DEFINED AT"});
        for (ServiceConfig service : config.services()) {
            rows.add(new String[] {
                service.name(),
                service.driverName(),
                yesNo(service.enabled()),
                yesNo(service.autostart()),
                what(service),
                service.origin().toString()
            });
        }
        Table.print(out, rows);
        return ExitCodes.SUCCESS;
    }

    private static String yesNo(boolean value) {
        return value ? "yes" : "no";
    }

    static String what(ServiceConfig service) {
        return switch (service.driver()) {
            case DriverSpec.Exec exec -> String.join(" ", exec.command());
            case DriverSpec.Command command -> command.start();
            case DriverSpec.Systemd systemd -> systemd.unit();
        };
    }
}
