package dev.egopose.cli;

import dev.egopose.broker.TopicAdmin;
import dev.egopose.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
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
        return Settings.load(file, System.getenv(), commandLine());
    }

    /** The settings {@link #load} would give, each with its source (for {@code egopose config}). */
    List<Settings.Source> sources() {
        return Settings.sources(file, System.getenv(), commandLine());
    }

    private Map<String, String> commandLine() {
        Map<String, String> all = new LinkedHashMap<>(overrides);
        if (bootstrap != null) {
            all.put("bootstrap.servers", bootstrap);
        }
        return all;
    }

    /** An admin client for these settings: their brokers and kafka.* client settings, bounded by broker.wait.seconds. */
    static TopicAdmin admin(Settings settings) {
        return new TopicAdmin(settings.bootstrapServers(), Duration.ofSeconds(settings.brokerWaitSeconds()), settings.kafka());
    }
}
