package dev.vigil.cli;

import dev.vigil.config.ServiceConfig;
import dev.vigil.config.VigilConfig;
import dev.vigil.driver.Drivers;
import dev.vigil.store.Store;
import dev.vigil.supervise.CheckPass;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
        name = "check",
        description = "One pass for cron: find what is down (and with --repair start it). Exit 0 if all was up, "
                + "1 if something was down and is repaired, 7 if something is still down.",
        mixinStandardHelpOptions = true)
final class CheckCommand implements Callable<Integer> {
    @ParentCommand
    VigilCommand root;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--repair", description = "Start every service that should run and does not.")
    boolean repair;

    @Option(names = "--json", description = "Print a JSON array of findings.")
    boolean json;

    @Option(
            names = "--push",
            paramLabel = "URL",
            description = "Push the findings as metrics to this Pushgateway (job vigil, instance = this host).")
    java.net.URI pushGateway;

    @Override
    public Integer call() throws Exception {
        VigilConfig config = Session.loadConfig(root);
        List<ServiceConfig> enabled =
                config.services().stream().filter(s -> s.notHere().isEmpty()).toList();
        List<CheckPass.Finding> findings;
        try (Store store = Store.open(config.settings().stateDir().resolve("state.db"))) {
            findings = new CheckPass(
                            Drivers.local(config), store, config.settings().stateDir())
                    .run(enabled, repair);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Instant now = Instant.now();
            out.println(Json.write(findings.stream().map(f -> finding(f, now)).toList()));
        } else {
            findings.forEach(f -> out.println(f.message()));
        }
        if (pushGateway != null) {
            String pushed = dev.vigil.control.CheckPush.push(findings, pushGateway);
            if (!json) {
                out.println(pushed);
            }
        }
        boolean stillDown = findings.stream()
                .anyMatch(f -> f.verdict() == CheckPass.Verdict.DOWN || f.verdict() == CheckPass.Verdict.REPAIR_FAILED);
        boolean repaired = findings.stream().anyMatch(f -> f.verdict() == CheckPass.Verdict.REPAIRED);
        if (stillDown) {
            return ExitCodes.NOT_RUNNING_OR_FAILED_TO_START;
        }
        return repaired ? ExitCodes.GENERIC_FAILURE : ExitCodes.SUCCESS;
    }

    private static Map<String, Object> finding(CheckPass.Finding f, Instant now) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", f.service().name());
        map.put("verdict", f.verdict().label());
        map.put("message", f.message());
        map.put("status", Json.status(f.status(), now));
        return map;
    }
}
