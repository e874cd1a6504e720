package dev.egopose.cli;

import dev.egopose.broker.TopicAdmin;
import dev.egopose.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The options every command that talks to the processor's Kafka shares: a settings file, the broker, overrides. */
final class SettingsOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "Settings file (properties; see configs/egopose.properties).")
    Path file;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "Kafka bootstrap servers (bootstrap.servers; default localhost:9092).")
    String bootstrap;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override any setting, e.g. --set crop.mode=exact; kafka.* keys go to the Kafka clients, e.g. --set kafka.security.protocol=SASL_SSL (repeatable).")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    Settings load() {
        Settings settings = Settings.load(file, System.getenv(), commandLine());
        warnUnknown(settings.kafka().keySet());
        return settings;
    }

    /**
     * For a command that runs on an embedded broker of its own: a broker named on the command line
     * would be ignored, so it is a usage error instead.
     */
    void refuseBroker() {
        if (bootstrap != null || overrides.containsKey("bootstrap.servers")) {
            throw new ParameterException(command.commandLine(),
                    "--bootstrap (bootstrap.servers) does not apply: this command runs on an embedded broker of its own");
        }
    }

    /** The settings {@link #load} would give, each with its source (for {@code egopose config}). */
    List<Settings.Source> sources() {
        List<Settings.Source> sources = Settings.sources(file, System.getenv(), commandLine());
        warnUnknown(sources.stream().map(Settings.Source::key).filter(k -> k.startsWith(Settings.KAFKA_PREFIX))
                .map(k -> k.substring(Settings.KAFKA_PREFIX.length())).toList());
        return sources;
    }

    /** One line per kafka.* key no Kafka client knows (likely a typo); such keys are still passed on. */
    private void warnUnknown(java.util.Collection<String> kafkaKeys) {
        for (String key : KafkaClientKeys.unknown(kafkaKeys)) {
            command.commandLine().getErr().println(command.name() + ": warning: " + Settings.KAFKA_PREFIX + key
                    + " is not a setting of any Kafka client (Streams, producer, consumer, admin); passed on anyway");
        }
        command.commandLine().getErr().flush();
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
