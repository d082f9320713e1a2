package dev.vigil.cli;

import dev.vigil.config.VigilConfig;
import dev.vigil.fleet.ClassExpression;
import dev.vigil.fleet.Inventory;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
        name = "hosts",
        description = "List the hosts of the inventory ([host.NAME] tables), or those a class expression selects.",
        mixinStandardHelpOptions = true)
final class HostsCommand implements Callable<Integer> {
    @ParentCommand
    VigilCommand root;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--class",
            paramLabel = "EXPR",
            description = "Only the hosts this class expression selects, such as 'web|dns' (docs/fleet.md).")
    String expression;

    @Option(names = "--json", description = "Print a JSON array of objects.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ClassExpression selector;
        try {
            selector = expression == null ? new ClassExpression.Name(Inventory.ANY) : ClassExpression.parse(expression);
        } catch (ClassExpression.ParseException e) {
            spec.commandLine().getErr().println("vigil hosts: --class: " + e.getMessage());
            return ExitCodes.INVALID_ARGUMENTS;
        }
        VigilConfig config = Session.loadConfig(root);
        List<Inventory.Host> hosts = config.inventory().select(selector);
        if (json) {
            out.println(Json.write(hosts.stream().map(HostsCommand::json).toList()));
            return ExitCodes.SUCCESS;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "ADDRESS", "PORT", "USER", "CLASSES"});
        for (Inventory.Host host : hosts) {
            rows.add(new String[] {
                host.name(),
                host.address(),
                Integer.toString(host.port()),
                host.user().orElse("-"),
                String.join(",", classes(host))
            });
        }
        Table.print(out, rows);
        return ExitCodes.SUCCESS;
    }

    /** The host's classes sorted, {@code any} left out (every host is in it). */
    static List<String> classes(Inventory.Host host) {
        return host.classes().stream()
                .filter(c -> !c.equals(Inventory.ANY))
                .sorted()
                .toList();
    }

    private static Map<String, Object> json(Inventory.Host host) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", host.name());
        map.put("address", host.address());
        map.put("port", host.port());
        map.put("user", host.user().orElse(null));
        map.put("key", host.key().map(Object::toString).orElse(null));
        map.put("classes", host.classes().stream().sorted().toList());
        map.put("defined_at", host.origin().toString());
        return map;
    }
}
