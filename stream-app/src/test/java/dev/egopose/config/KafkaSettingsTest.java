package dev.egopose.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** kafka.* pass-through, the operations settings, secret masking and the per-setting sources. */
class KafkaSettingsTest {
    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"hunter2\";";

    @TempDir
    Path dir;

    @Test
    void kafkaKeysFromFileEnvironmentAndCommandLineReachTheClientsPrefixStripped() throws IOException {
        Path file = Files.writeString(dir.resolve("s.properties"),
                "kafka.security.protocol=SASL_SSL\nkafka.client.id=from-file\nkafka.ssl.truststore.location=/etc/trust.p12\n");
        Map<String, String> env = Map.of(
                "EGOPOSE_KAFKA_CLIENT_ID", "from-env",
                "EGOPOSE_KAFKA_SASL_JAAS_CONFIG", JAAS,
                "EGOPOSE_KAFKA_", "ignored: names nothing",
                "OTHER_KAFKA_X", "ignored");
        Settings s = Settings.load(file, env, Map.of("kafka.sasl.mechanism", "SCRAM-SHA-512"));
        assertEquals(Map.of(
                "security.protocol", "SASL_SSL",
                "client.id", "from-env",
                "ssl.truststore.location", "/etc/trust.p12",
                "sasl.jaas.config", JAAS,
                "sasl.mechanism", "SCRAM-SHA-512"), s.kafka());
        assertEquals("from-cli", Settings.load(file, env, Map.of("kafka.client.id", "from-cli")).kafka().get("client.id"), "command line wins");
    }

    @ParameterizedTest
    @ValueSource(strings = {"kafka.bootstrap.servers", "kafka.application.id", "kafka.processing.guarantee",
            "kafka.num.stream.threads", "kafka.state.dir", "kafka.producer.bootstrap.servers", "kafka.main.consumer.application.id"})
    void keysEgoposeOwnsAreRefusedNamingTheRightSetting(String key) {
        String message = assertThrows(SettingsException.class, () -> Settings.load(null, Map.of(), Map.of(key, "x"))).getMessage();
        String owned = Settings.OWNED_KAFKA_KEYS.stream().filter(key::endsWith).findFirst().orElseThrow();
        assertTrue(message.contains(key) && message.contains("'x'") && message.contains("command line")
                && message.contains("use the setting " + owned), message);
    }

    @Test
    void ownedKeyFromTheEnvironmentNamesTheVariable() {
        String message = assertThrows(SettingsException.class,
                () -> Settings.load(null, Map.of("EGOPOSE_KAFKA_BOOTSTRAP_SERVERS", "h:1"), Map.of())).getMessage();
        assertTrue(message.contains("environment variable EGOPOSE_KAFKA_BOOTSTRAP_SERVERS"), message);
    }

    @Test
    void aKafkaSettingWithoutThePrefixIsRefusedWithAHint() {
        String message = assertThrows(SettingsException.class,
                () -> Settings.load(null, Map.of(), Map.of("security.protocol", "SASL_SSL"))).getMessage();
        assertTrue(message.contains("unknown setting 'security.protocol' = 'SASL_SSL' from command line"), message);
        assertTrue(message.contains("use kafka.security.protocol"), message);
        String typo = assertThrows(SettingsException.class, () -> Settings.load(null, Map.of(), Map.of("model.devise", "gpu"))).getMessage();
        assertFalse(typo.contains("use kafka."), "a typo of an egopose key is no Kafka setting: " + typo);
    }

    @Test
    void secretsAreMaskedInToStringAndInTheSources() {
        Map<String, String> cli = Map.of("kafka.sasl.jaas.config", JAAS, "kafka.ssl.keystore.password", "pw1",
                "kafka.ssl.key.password", "pw2", "kafka.client.id", "visible");
        Settings s = Settings.load(null, Map.of(), cli);
        String text = s.toString();
        for (String secret : List.of("hunter2", "pw1", "pw2")) {
            assertFalse(text.contains(secret), text);
        }
        assertTrue(text.contains("kafka.client.id=visible") && text.contains("kafka.sasl.jaas.config=[hidden]"), text);
        String sources = Settings.sources(null, Map.of(), cli).stream().map(Settings.Source::toString).collect(Collectors.joining("\n"));
        assertFalse(sources.contains("hunter2") || sources.contains("pw1") || sources.contains("pw2"), sources);
        assertNotEquals(s, Settings.load(null, Map.of(), Map.of("kafka.sasl.jaas.config", "other", "kafka.ssl.keystore.password", "pw1",
                "kafka.ssl.key.password", "pw2", "kafka.client.id", "visible")), "masking must not make different secrets equal");
        assertTrue(Settings.isSecret("kafka.ssl.truststore.password") && Settings.isSecret("sasl.jaas.config")
                && !Settings.isSecret("kafka.sasl.mechanism"));
    }

    @Test
    void sourcesNameWhereEachEffectiveValueCameFrom() throws IOException {
        Path file = Files.writeString(dir.resolve("s.properties"), "crop.mode=exact\nkafka.client.id=f\n");
        Map<String, Settings.Source> byKey = Settings.sources(file, Map.of("EGOPOSE_APPLICATION_ID", "env-app"), Map.of("model.device", "gpu:1"))
                .stream().collect(Collectors.toMap(Settings.Source::key, x -> x));
        assertEquals(new Settings.Source("bootstrap.servers", "localhost:9092", "default"), byKey.get("bootstrap.servers"));
        assertEquals(new Settings.Source("crop.mode", "exact", "file " + file), byKey.get("crop.mode"));
        assertEquals(new Settings.Source("kafka.client.id", "f", "file " + file), byKey.get("kafka.client.id"));
        assertEquals(new Settings.Source("application.id", "env-app", "environment variable EGOPOSE_APPLICATION_ID"), byKey.get("application.id"));
        assertEquals(new Settings.Source("model.device", "gpu:1", "command line"), byKey.get("model.device"));
        assertTrue(byKey.keySet().containsAll(Settings.DEFAULTS.keySet()));
        assertThrows(SettingsException.class, () -> Settings.sources(null, Map.of(), Map.of("crop.mode", "blurry")), "sources validates like load");
    }

    @Test
    void operationsSettingsHaveDefaultsAndBounds() {
        Settings d = Settings.load(null, Map.of(), Map.of());
        assertEquals(60, d.brokerWaitSeconds());
        assertEquals("127.0.0.1", d.metricsHost());
        assertEquals(-1, d.metricsPort(), "no metrics server unless asked");
        assertEquals(Map.of(), d.kafka());
        Settings s = Settings.load(null, Map.of("EGOPOSE_METRICS_PORT", "9400"), Map.of("broker.wait.seconds", "5", "metrics.host", "0.0.0.0"));
        assertEquals(9400, s.metricsPort());
        assertEquals(5, s.brokerWaitSeconds());
        assertEquals("0.0.0.0", s.metricsHost());
        String message = assertThrows(SettingsException.class, () -> Settings.load(null, Map.of(), Map.of("broker.wait.seconds", "0"))).getMessage();
        assertTrue(message.contains("broker.wait.seconds = '0' (from command line) must be between 1 and 3600"), message);
        assertThrows(SettingsException.class, () -> Settings.load(null, Map.of(), Map.of("metrics.port", "70000")));
    }
}
