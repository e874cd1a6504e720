package dev.egopose.cli;

import dev.egopose.config.Settings;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code egopose config}: the effective settings and where each comes from, secrets masked. */
@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        description = {
            "Print the effective settings, one per line: key = value  (source).",
            "Sources, later winning: default < --config file < EGOPOSE_* environment < --bootstrap / --set.",
            "kafka.* keys go to every Kafka client; secrets (*password*, *secret*, sasl.jaas.config) print as [hidden].",
            "Exit status 2 if a setting is unknown or has a bad value."
        })
final class ConfigCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SettingsOptions settingsOptions = new SettingsOptions();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (Settings.Source s : settingsOptions.sources()) {
            out.println(s.key() + " = " + s.value() + "  (" + s.origin() + ")");
        }
        out.flush();
        return 0;
    }
}
