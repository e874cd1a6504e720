package dev.egopose.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.egopose.domain.CropMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingsTest {
    @TempDir
    Path dir;

    private Path file(String... lines) throws IOException {
        Path f = dir.resolve("settings.properties");
        Files.write(f, java.util.List.of(lines), StandardCharsets.UTF_8);
        return f;
    }

    private static String message(Runnable load) {
        return assertThrows(SettingsException.class, load::run).getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), () -> "'" + message + "' should mention '" + part + "'");
        }
    }

    @Test
    void defaultsAloneGiveTheDocumentedValues() {
        Settings s = Settings.load(null, Map.of(), Map.of());
        assertEquals("localhost:9092", s.bootstrapServers());
        assertEquals("egopose", s.applicationId());
        assertEquals("egopose.frames", s.framesTopic());
        assertEquals("egopose.poses", s.posesTopic());
        assertEquals("egopose.frames.dlq", s.dlqTopic());
        assertEquals("exactly_once_v2", s.processingGuarantee());
        assertEquals(1, s.streamThreads());
        assertEquals("", s.stateDir());
        assertEquals(CropMode.FUSED, s.cropMode());
        assertEquals(4, s.fusedReduction());
        assertEquals("", s.modelDir());
        assertEquals("cpu", s.device());
        assertArrayEquals(new int[] {1, 2, 4, 8, 16}, s.batchSizes());
        assertEquals(16, s.maxBatch());
        assertEquals(0, s.maxDelayMs());
        assertEquals(0, s.torchThreads());
    }

    @Test
    void laterSourcesWinDefaultsFileEnvironmentOverrides() throws IOException {
        Path f = file(
                "bootstrap.servers=file:1",
                "application.id=from-file",
                "num.stream.threads=3",
                "crop.mode=exact");
        Map<String, String> env = Map.of(
                "EGOPOSE_BOOTSTRAP_SERVERS", "env:2",
                "EGOPOSE_APPLICATION_ID", "from-env",
                "EGOPOSE_MODEL_MAX_DELAY_MS", "7");
        Map<String, String> overrides = Map.of("application.id", "from-cli");

        Settings s = Settings.load(f, env, overrides);

        assertEquals("env:2", s.bootstrapServers(), "environment beats file");
        assertEquals("from-cli", s.applicationId(), "override beats environment and file");
        assertEquals(3, s.streamThreads(), "file beats default");
        assertEquals(CropMode.EXACT, s.cropMode(), "file beats default");
        assertEquals(7, s.maxDelayMs(), "environment beats default");
        assertEquals("egopose.poses", s.posesTopic(), "default where nobody says otherwise");
    }

    @Test
    void environmentNamesUseUpperCaseAndUnderscores() {
        Settings s = Settings.load(null, Map.of("EGOPOSE_TOPIC_DLQ", "dead", "EGOPOSE_MODEL_BATCH_SIZES", "2,4"), Map.of());
        assertEquals("dead", s.dlqTopic());
        assertArrayEquals(new int[] {2, 4}, s.batchSizes());
    }

    @Test
    void unrelatedEnvironmentVariablesAreIgnored() {
        // the process environment holds many other variables, some with the same prefix (EGOPOSE_S12_DIR in CI)
        Settings s = Settings.load(null, Map.of("PATH", "/usr/bin", "EGOPOSE_S12_DIR", "/tmp/s12", "bootstrap.servers", "x:1"), Map.of());
        assertEquals("localhost:9092", s.bootstrapServers());
    }

    @Test
    void valuesAreTrimmed() {
        Settings s = Settings.load(null, Map.of("EGOPOSE_TOPIC_FRAMES", "  in  "), Map.of("topic.poses", " out "));
        assertEquals("in", s.framesTopic());
        assertEquals("out", s.posesTopic());
    }

    @Test
    void kafkaPropertiesPassThroughWithoutTheirPrefix() throws IOException {
        Path f = file("kafka.transaction.timeout.ms=5000", "kafka.session.timeout.ms=45000");
        Settings s = Settings.load(f, Map.of(), Map.of("kafka.session.timeout.ms", " 6000 "));
        assertEquals(Map.of("session.timeout.ms", "6000", "transaction.timeout.ms", "5000"), s.kafka());
        assertTrue(Settings.load(null, Map.of(), Map.of()).kafka().isEmpty());
    }

    @Test
    void kafkaPropertiesOwnedByASettingAreRefusedNamingThatSetting() {
        String m = message(() -> Settings.load(null, Map.of(), Map.of("kafka.application.id", "other")));
        assertMentions(m, "kafka.application.id", "command line", "use the setting application.id");
    }

    @Test
    void kafkaSecretsAreHiddenWhenPrinted() {
        Settings s = Settings.load(null, Map.of(), Map.of("kafka.ssl.key.password", "hunter2", "kafka.sasl.jaas.config", "secret", "kafka.linger.ms", "7"));
        assertMentions(s.toString(), "linger.ms=7", "ssl.key.password=[hidden]", "sasl.jaas.config=[hidden]");
        assertTrue(!s.toString().contains("hunter2") && !s.toString().contains("secret"), s.toString());
    }

    @Test
    void unknownKeyInFileIsRefusedNamingKeyAndFile() throws IOException {
        Path f = file("bootstrap.servers=a:1", "crop.mdoe=exact");
        String m = message(() -> Settings.load(f, Map.of(), Map.of()));
        assertMentions(m, "crop.mdoe", "file " + f);
    }

    @Test
    void unknownKeyOnCommandLineIsRefusedNamingKeyAndSource() {
        String m = message(() -> Settings.load(null, Map.of(), Map.of("model.devise", "gpu")));
        assertMentions(m, "model.devise", "command line");
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
        "crop.mode            | blurry",
        "crop.fused.reduction | 3",
        "crop.fused.reduction | 16",
        "crop.fused.reduction | 0",
        "model.batch.sizes    | '0,x'",
        "model.batch.sizes    | '0,4'",
        "model.batch.sizes    | '4,,8'",
        "model.batch.sizes    | 2048",
        "model.device         | tpu",
        "model.device         | gpu:",
        "num.stream.threads   | 0",
        "num.stream.threads   | two",
        "processing.guarantee | exactly_once",
        "model.max.delay.ms   | -1",
        "model.torch.threads  | 1.5",
        "bootstrap.servers    | ''",
    })
    void badValueFromCommandLineIsRefusedNamingKeyValueAndSource(String key, String value) {
        String m = message(() -> Settings.load(null, Map.of(), Map.of(key, value)));
        assertMentions(m, key, "'" + value + "'", "command line");
    }

    @Test
    void badValueFromFileNamesTheFile() throws IOException {
        Path f = file("crop.mode=blurry");
        String m = message(() -> Settings.load(f, Map.of(), Map.of()));
        assertMentions(m, "crop.mode", "'blurry'", "file " + f);
    }

    @Test
    void badValueFromEnvironmentNamesTheVariable() {
        String m = message(() -> Settings.load(null, Map.of("EGOPOSE_NUM_STREAM_THREADS", "0"), Map.of()));
        assertMentions(m, "num.stream.threads", "'0'", "EGOPOSE_NUM_STREAM_THREADS");
    }

    @Test
    void aBadValueOverriddenByALaterSourceIsNoProblem() throws IOException {
        Path f = file("model.device=tpu");
        Settings s = Settings.load(f, Map.of(), Map.of("model.device", "gpu:1"));
        assertEquals("gpu:1", s.device());
    }

    @Test
    void missingFileIsRefusedNamingTheFile() {
        Path f = dir.resolve("nope.properties");
        String m = message(() -> Settings.load(f, Map.of(), Map.of()));
        assertMentions(m, f.toString());
    }

    @Test
    void folderInsteadOfFileIsRefusedNamingIt() {
        String m = message(() -> Settings.load(dir, Map.of(), Map.of()));
        assertMentions(m, dir.toString());
    }

    @Test
    void batchSizesAreSortedAndDeduplicated() {
        Settings s = Settings.load(null, Map.of(), Map.of("model.batch.sizes", " 8, 2,8 ,32,1,2"));
        assertArrayEquals(new int[] {1, 2, 8, 32}, s.batchSizes());
        assertEquals(32, s.maxBatch());
    }

    @Test
    void maxBatchOfASingleSize() {
        assertEquals(3, Settings.load(null, Map.of(), Map.of("model.batch.sizes", "3")).maxBatch());
    }

    @Test
    void batchSizesCannotBeChangedFromOutside() {
        Settings s = Settings.load(null, Map.of(), Map.of("model.batch.sizes", "1,2"));
        s.batchSizes()[0] = 99;
        assertArrayEquals(new int[] {1, 2}, s.batchSizes());
    }

    @Test
    void acceptedSpellings() {
        Settings s = Settings.load(null, Map.of(), Map.of(
                "crop.mode", "EXACT", "processing.guarantee", "at_least_once", "model.device", "gpu:3", "crop.fused.reduction", "8"));
        assertEquals(CropMode.EXACT, s.cropMode());
        assertEquals("at_least_once", s.processingGuarantee());
        assertEquals("gpu:3", s.device());
        assertEquals(8, s.fusedReduction());
    }

    @Test
    void shippedConfigFileLoadsAndEqualsTheDefaults() {
        Path shipped = Path.of("../configs/egopose.properties");
        assumeTrue(Files.isRegularFile(shipped), "configs/egopose.properties not found from " + Path.of("").toAbsolutePath());
        Settings fromFile = Settings.load(shipped, Map.of(), Map.of());
        Settings defaults = Settings.load(null, Map.of(), Map.of());
        assertEquals(defaults, fromFile);
        // equals compares the rendering; make sure a difference would show
        assertTrue(!defaults.equals(Settings.load(shipped, Map.of(), Map.of("model.batch.sizes", "1,2,4,8"))));
    }

    @Test
    void shippedConfigFileDocumentsEveryKey() throws IOException {
        Path shipped = Path.of("../configs/egopose.properties");
        assumeTrue(Files.isRegularFile(shipped));
        java.util.Properties props = new java.util.Properties();
        try (var reader = Files.newBufferedReader(shipped)) {
            props.load(reader);
        }
        assertEquals(Settings.DEFAULTS.keySet(), props.stringPropertyNames());
    }
}
