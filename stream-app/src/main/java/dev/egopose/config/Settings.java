package dev.egopose.config;

import dev.egopose.domain.CropMode;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.InvalidPathException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every setting of the stream processor. Sources, later ones winning: the defaults below, a
 * properties file, environment variables ({@code EGOPOSE_} + key in upper case with dots as
 * underscores, e.g. {@code EGOPOSE_BOOTSTRAP_SERVERS}), then command-line overrides.
 *
 * @param bootstrapServers    Kafka brokers ({@code bootstrap.servers})
 * @param applicationId       Kafka Streams application id; instances with the same id share the work
 * @param framesTopic         input topic ({@code topic.frames})
 * @param posesTopic          output topic ({@code topic.poses})
 * @param dlqTopic            dead-letter topic ({@code topic.dlq})
 * @param processingGuarantee {@code exactly_once_v2} (default) or {@code at_least_once}
 * @param streamThreads       Kafka Streams threads ({@code num.stream.threads})
 * @param stateDir            Kafka Streams state folder ({@code state.dir}); empty = Kafka's default
 * @param cropMode            {@code fused} (default) or {@code exact} for fisheye frames
 * @param fusedReduction      JPEG decode scale of the fused path: 1, 2, 4 or 8
 * @param modelDir            folder with model.pt and model.json; empty = the bundled tiny model
 * @param device              {@code cpu}, {@code gpu} or {@code gpu:N}
 * @param batchSizes          fixed batch shapes the model is warmed up for
 * @param maxDelayMs          longest a crop waits for its batch to fill
 * @param torchThreads        libtorch intra-op threads; 0 = libtorch's default
 * @param modelTimeoutMs      a model call running longer than this counts as failed
 * @param modelRetries        retries of a failed model call (with backoff) before the frame is tried alone
 * @param recordMaxAttempts   tries of a record that fails unforeseen before it is dead-lettered
 * @param imageMaxPixels      largest stored image (width x height) a frame may carry
 * @param imageMaxBytes       largest encoded image, inline or behind a URI
 * @param imageUriRoots       folders {@code file:} image URIs may point into; none = URIs refused
 * @param trackingMinConfidence hands tracked (Aria hand tracking) with less confidence are not posed
 * @param detector            frames with neither boxes nor hand tracking get boxes from the image
 *                            (palm detection and landmark tracking, {@code detector.enabled})
 * @param detectorModelsDir   folder with MediaPipe's hand models ({@code detector.models.dir}); empty =
 *                            {@code $EGOPOSE_MEDIAPIPE_DIR} or {@code ~/.cache/egopose/mediapipe}
 * @param kafka               Kafka client settings ({@code kafka.*} keys, prefix stripped) given to every
 *                            client a command makes: Streams, producer, consumer, admin
 * @param brokerWaitSeconds   longest a command waits for the brokers to answer before it gives up
 *                            ({@code broker.wait.seconds})
 * @param metricsHost         address the metrics and health server binds to ({@code metrics.host})
 * @param metricsPort         its port ({@code metrics.port}); -1 = no server, 0 = any free port
 * @param ingestToken         bearer token {@code egopose ingest} requires ({@code ingest.token}); empty = none; never printed
 */
public record Settings(
        String bootstrapServers,
        String applicationId,
        String framesTopic,
        String posesTopic,
        String dlqTopic,
        String processingGuarantee,
        int streamThreads,
        String stateDir,
        CropMode cropMode,
        int fusedReduction,
        String modelDir,
        String device,
        int[] batchSizes,
        int maxDelayMs,
        int torchThreads,
        int modelTimeoutMs,
        int modelRetries,
        int recordMaxAttempts,
        long imageMaxPixels,
        long imageMaxBytes,
        List<Path> imageUriRoots,
        double trackingMinConfidence,
        boolean detector,
        String detectorModelsDir,
        Map<String, String> kafka,
        int brokerWaitSeconds,
        String metricsHost,
        int metricsPort,
        String ingestToken) {

    /** The defaults, as key = value (also the documented keys, in order). */
    public static final Map<String, String> DEFAULTS = defaults();

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("bootstrap.servers", "localhost:9092");
        d.put("application.id", "egopose");
        d.put("topic.frames", "egopose.frames");
        d.put("topic.poses", "egopose.poses");
        d.put("topic.dlq", "egopose.frames.dlq");
        d.put("processing.guarantee", "exactly_once_v2");
        d.put("num.stream.threads", "1");
        d.put("state.dir", "");
        d.put("crop.mode", "fused");
        d.put("crop.fused.reduction", "4");
        d.put("model.dir", "");
        d.put("model.device", "cpu");
        d.put("model.batch.sizes", "1,2,4,8,16");
        d.put("model.max.delay.ms", "0");
        d.put("model.torch.threads", "0");
        d.put("model.timeout.ms", "60000");
        d.put("model.retries", "3");
        d.put("record.max.attempts", "3");
        d.put("image.max.pixels", "8500000");
        d.put("image.max.bytes", "16777216");
        d.put("image.uri.roots", "");
        d.put("handtracking.min.confidence", "0.5");
        d.put("detector.enabled", "false");
        d.put("detector.models.dir", "");
        // operations: broker wait, metrics and health server (kafka.* keys are open-ended, see KAFKA_PREFIX)
        d.put("broker.wait.seconds", "60");
        d.put("metrics.host", "127.0.0.1");
        d.put("metrics.port", "");
        d.put("ingest.token", "");
        return java.util.Collections.unmodifiableMap(d);
    }

    /** Keys with this prefix go, prefix stripped, to the Kafka clients (e.g. {@code kafka.security.protocol}). */
    public static final String KAFKA_PREFIX = "kafka.";

    /** Kafka client keys egopose sets itself from its own settings; a {@code kafka.} copy of them is refused. */
    public static final java.util.List<String> OWNED_KAFKA_KEYS =
            java.util.List.of("application.id", "bootstrap.servers", "processing.guarantee", "num.stream.threads", "state.dir");

    public Settings {
        batchSizes = batchSizes.clone();
        imageUriRoots = List.copyOf(imageUriRoots);
        kafka = java.util.Collections.unmodifiableMap(new TreeMap<>(kafka));
    }

    @Override
    public int[] batchSizes() {
        return batchSizes.clone();
    }

    /** The largest batch the model runs. */
    public int maxBatch() {
        return Arrays.stream(batchSizes).max().orElseThrow();
    }

    /**
     * Loads the settings.
     *
     * @param file      a properties file, or null
     * @param env       the environment (System.getenv() in production)
     * @param overrides key = value pairs from the command line
     */
    public static Settings load(Path file, Map<String, String> env, Map<String, String> overrides) {
        Layers layers = collect(file, env, overrides);
        return parse(layers.values(), layers.origin());
    }

    /** One effective setting: its key, its value (secrets masked) and where it came from. */
    public record Source(String key, String value, String origin) {}

    /**
     * The effective settings as {@link #load} sees them, each with its source ({@code default},
     * the file, an environment variable, {@code command line}); secrets masked. Validates like load.
     */
    public static java.util.List<Source> sources(Path file, Map<String, String> env, Map<String, String> overrides) {
        Layers layers = collect(file, env, overrides);
        parse(layers.values(), layers.origin());
        java.util.List<Source> out = new java.util.ArrayList<>();
        layers.values().forEach((k, v) -> out.add(new Source(k, mask(k, v), layers.origin().get(k))));
        return out;
    }

    /** Whether a key's value is a secret that must never be printed: {@code *password*}, {@code *secret*}, {@code *token*}, {@code sasl.jaas.config}. */
    public static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.contains("token") || k.endsWith("sasl.jaas.config");
    }

    /** {@code value}, or {@code [hidden]} when the key is a secret (and the value is not empty). */
    public static String mask(String key, String value) {
        return isSecret(key) && !value.isEmpty() ? "[hidden]" : value;
    }

    private record Layers(Map<String, String> values, Map<String, String> origin) {}

    private static Layers collect(Path file, Map<String, String> env, Map<String, String> overrides) {
        Map<String, String> values = new LinkedHashMap<>(DEFAULTS);
        Map<String, String> origin = new TreeMap<>();
        DEFAULTS.keySet().forEach(k -> origin.put(k, "default"));
        if (file != null) {
            Properties props = new Properties();
            try (Reader reader = Files.newBufferedReader(file)) {
                props.load(reader);
            } catch (IOException e) {
                throw new SettingsException("cannot read settings file " + file + ": " + e.getMessage());
            }
            for (String key : props.stringPropertyNames()) {
                put(values, origin, key, props.getProperty(key).trim(), "file " + file);
            }
        }
        for (String key : DEFAULTS.keySet()) {
            String envName = "EGOPOSE_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
            String value = env.get(envName);
            if (value != null) {
                put(values, origin, key, value.trim(), "environment variable " + envName);
            }
        }
        new TreeMap<>(env).forEach((name, value) -> {
            if (name.startsWith("EGOPOSE_KAFKA_") && name.length() > "EGOPOSE_KAFKA_".length()) {
                String key = KAFKA_PREFIX + name.substring("EGOPOSE_KAFKA_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
                put(values, origin, key, value.trim(), "environment variable " + name);
            }
        });
        overrides.forEach((k, v) -> put(values, origin, k, v.trim(), "command line"));
        return new Layers(values, origin);
    }

    private static void put(Map<String, String> values, Map<String, String> origin, String key, String value, String source) {
        if (key.startsWith(KAFKA_PREFIX)) {
            checkKafkaKey(key, value, source);
        } else if (!DEFAULTS.containsKey(key)) {
            throw new SettingsException("unknown setting '" + key + "' = '" + mask(key, value) + "' from " + source
                    + "; known settings: " + String.join(", ", DEFAULTS.keySet()) + ", and kafka.* for the Kafka clients"
                    + (looksLikeKafka(key) ? " (a Kafka client setting? use kafka." + key + ")" : ""));
        }
        values.put(key, value);
        origin.put(key, source);
    }

    /** A dotted key whose first word is none of egopose's own (model., crop., topic. ...): likely meant for Kafka. */
    private static boolean looksLikeKafka(String key) {
        int dot = key.indexOf('.');
        String first = dot < 0 ? "" : key.substring(0, dot + 1);
        return dot > 0 && DEFAULTS.keySet().stream().noneMatch(k -> k.startsWith(first));
    }

    private static void checkKafkaKey(String key, String value, String source) {
        String client = key.substring(KAFKA_PREFIX.length());
        if (client.isEmpty()) {
            throw new SettingsException("setting '" + key + "' from " + source + " names no Kafka client setting");
        }
        for (String owned : OWNED_KAFKA_KEYS) {
            if (client.equals(owned) || client.endsWith("." + owned)) {
                throw new SettingsException("setting " + key + " = '" + mask(key, value) + "' (from " + source
                        + ") is not allowed: egopose sets " + owned + " itself; use the setting " + owned);
            }
        }
    }

    private static Settings parse(Map<String, String> v, Map<String, String> origin) {
        Parser p = new Parser(v, origin);
        String guarantee = p.oneOf("processing.guarantee", "exactly_once_v2", "at_least_once");
        String device = p.text("model.device");
        if (!device.matches("cpu|gpu|gpu:\\d+")) {
            throw p.bad("model.device", "must be cpu, gpu or gpu:N");
        }
        int reduction = p.integer("crop.fused.reduction", 1, 8);
        if (Integer.bitCount(reduction) != 1) {
            throw p.bad("crop.fused.reduction", "must be 1, 2, 4 or 8");
        }
        int[] sizes;
        try {
            sizes = Arrays.stream(p.text("model.batch.sizes").split(",")).map(String::trim).mapToInt(Integer::parseInt).sorted().distinct().toArray();
        } catch (NumberFormatException e) {
            throw p.bad("model.batch.sizes", "must be a comma-separated list of positive integers");
        }
        if (sizes.length == 0 || sizes[0] < 1 || sizes[sizes.length - 1] > 1024) {
            throw p.bad("model.batch.sizes", "must be positive integers of at most 1024");
        }
        return new Settings(
                p.text("bootstrap.servers"),
                p.text("application.id"),
                p.text("topic.frames"),
                p.text("topic.poses"),
                p.text("topic.dlq"),
                guarantee,
                p.integer("num.stream.threads", 1, 64),
                v.get("state.dir"),
                CropMode.valueOf(p.oneOf("crop.mode", "fused", "exact").toUpperCase(Locale.ROOT)),
                reduction,
                v.get("model.dir"),
                device,
                sizes,
                p.integer("model.max.delay.ms", 0, 60_000),
                p.integer("model.torch.threads", 0, 256),
                p.integer("model.timeout.ms", 1, 3_600_000),
                p.integer("model.retries", 0, 10),
                p.integer("record.max.attempts", 1, 100),
                p.longInteger("image.max.pixels", 1, 1L << 40),
                p.longInteger("image.max.bytes", 1, 1L << 31),
                p.folders("image.uri.roots"),
                p.fraction("handtracking.min.confidence"),
                p.oneOf("detector.enabled", "true", "false").equals("true"),
                v.get("detector.models.dir"),
                kafkaSettings(v),
                p.integer("broker.wait.seconds", 1, 3600),
                p.text("metrics.host"),
                v.get("metrics.port").isEmpty() ? -1 : p.integer("metrics.port", 0, 65535),
                v.get("ingest.token"));
    }

    private static Map<String, String> kafkaSettings(Map<String, String> values) {
        Map<String, String> kafka = new TreeMap<>();
        values.forEach((k, val) -> {
            if (k.startsWith(KAFKA_PREFIX)) {
                kafka.put(k.substring(KAFKA_PREFIX.length()), val);
            }
        });
        return kafka;
    }

    private record Parser(Map<String, String> values, Map<String, String> origin) {
        SettingsException bad(String key, String problem) {
            return new SettingsException("setting " + key + " = '" + values.get(key) + "' (from " + origin.get(key) + ") " + problem);
        }

        String text(String key) {
            String value = values.get(key);
            if (value == null || value.isEmpty()) {
                throw bad(key, "must not be empty");
            }
            return value;
        }

        int integer(String key, int min, int max) {
            try {
                int value = Integer.parseInt(values.get(key));
                if (value < min || value > max) {
                    throw bad(key, "must be between " + min + " and " + max);
                }
                return value;
            } catch (NumberFormatException e) {
                throw bad(key, "is not an integer");
            }
        }

        double fraction(String key) {
            try {
                double value = Double.parseDouble(values.get(key));
                if (!(value >= 0 && value <= 1)) {
                    throw bad(key, "must be between 0 and 1");
                }
                return value;
            } catch (NumberFormatException e) {
                throw bad(key, "is not a number");
            }
        }

        long longInteger(String key, long min, long max) {
            try {
                long value = Long.parseLong(values.get(key));
                if (value < min || value > max) {
                    throw bad(key, "must be between " + min + " and " + max);
                }
                return value;
            } catch (NumberFormatException e) {
                throw bad(key, "is not an integer");
            }
        }

        /** A comma-separated list of existing folders, as absolute paths with symlinks resolved. */
        List<Path> folders(String key) {
            List<Path> out = new ArrayList<>();
            for (String part : values.get(key).split(",")) {
                if (part.isBlank()) {
                    continue;
                }
                try {
                    Path folder = Path.of(part.trim()).toRealPath();
                    if (!Files.isDirectory(folder)) {
                        throw bad(key, "names " + part.trim() + ", which is not a folder");
                    }
                    out.add(folder);
                } catch (IOException | InvalidPathException e) {
                    throw bad(key, "names " + part.trim() + ", which does not exist");
                }
            }
            return out;
        }

        String oneOf(String key, String... allowed) {
            String value = values.get(key).toLowerCase(Locale.ROOT);
            if (!Arrays.asList(allowed).contains(value)) {
                throw bad(key, "must be one of " + String.join(", ", allowed));
            }
            return value;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Settings s && toString().equals(s.toString()) && kafka.equals(s.kafka);
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "Settings[bootstrap.servers=" + bootstrapServers + ", application.id=" + applicationId
                + ", topics=" + framesTopic + "/" + posesTopic + "/" + dlqTopic + ", processing.guarantee=" + processingGuarantee
                + ", num.stream.threads=" + streamThreads + ", state.dir=" + stateDir + ", crop.mode=" + cropMode
                + ", crop.fused.reduction=" + fusedReduction + ", model.dir=" + modelDir + ", model.device=" + device
                + ", model.batch.sizes=" + Arrays.toString(batchSizes) + ", model.max.delay.ms=" + maxDelayMs
                + ", model.torch.threads=" + torchThreads + ", model.timeout.ms=" + modelTimeoutMs
                + ", model.retries=" + modelRetries + ", record.max.attempts=" + recordMaxAttempts
                + ", image.max.pixels=" + imageMaxPixels + ", image.max.bytes=" + imageMaxBytes
                + ", image.uri.roots=" + imageUriRoots + ", handtracking.min.confidence=" + trackingMinConfidence
                + ", detector.enabled=" + detector + ", detector.models.dir=" + detectorModelsDir
                + opsToString() + "]";
    }

    /** The operations settings for {@link #toString()}, Kafka client secrets masked. */
    private String opsToString() {
        StringBuilder b = new StringBuilder(", broker.wait.seconds=" + brokerWaitSeconds + ", metrics=" + metricsHost + ":"
                + (metricsPort < 0 ? "off" : Integer.toString(metricsPort)));
        kafka.forEach((k, val) -> b.append(", ").append(KAFKA_PREFIX).append(k).append('=').append(mask(k, val)));
        b.append(", ingest.token=").append(ingestToken.isEmpty() ? "(none)" : "[hidden]");
        return b.toString();
    }
}
