package dev.egopose.cli;

import dev.egopose.config.Settings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options every command that talks to the processor's Kafka shares: a settings file, the broker, overrides. */
final class SettingsOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "Settings file (properties; see configs/egopose.properties).")
    Path file;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "Kafka bootstrap servers (bootstrap.servers; default localhost:9092).")
    String bootstrap;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override any setting, e.g. --set crop.mode=exact (repeatable).")
    Map<String, String> overrides = new LinkedHashMap<>();

    Settings load() {
        Map<String, String> all = new LinkedHashMap<>(overrides);
        if (bootstrap != null) {
            all.put("bootstrap.servers", bootstrap);
        }
        return Settings.load(file, System.getenv(), all);
    }
}
