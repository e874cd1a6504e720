package dev.egopose.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egopose.avro.AvroMapping;
import dev.egopose.avro.Topic;
import dev.egopose.avro.Topics;
import dev.egopose.broker.EmbeddedBroker;
import dev.egopose.camera.OpenCvNative;
import dev.egopose.camera.UndistortionMapCache;
import dev.egopose.crop.CropTestImages;
import dev.egopose.crop.HandCropper;
import dev.egopose.domain.CropMode;
import dev.egopose.domain.HandBox;
import dev.egopose.domain.HandSide;
import dev.egopose.domain.Joints3d;
import dev.egopose.model.Batcher;
import dev.egopose.model.BundledModel;
import dev.egopose.model.HandPoseModel;
import dev.egopose.model.ModelCard;
import dev.egopose.model.ModelUnavailableException;
import dev.egopose.schema.DeadLetter;
import dev.egopose.schema.Frame;
import dev.egopose.schema.HandPoses;
import dev.egopose.schema.ImageEncoding;
import dev.egopose.schema.InlineImage;
import dev.egopose.schema.Orientation;
import dev.egopose.schema.Pinhole;
import dev.egopose.topology.PoseTopology;
import dev.egopose.topology.StageLimits;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A record that fails in a way nobody foresaw (here a decoder that throws an AssertionError for
 * one take) on a real broker and real Kafka Streams threads: the stage tries it again in place;
 * after record.max.attempts the record is dead-lettered with its cause, the stream thread never
 * dies, and the good frame behind it in the same partition is posed.
 */
class PoisonRecordTest {
    @TempDir
    Path tmp;

    /** Poses of zeros; the card is the bundled model's. */
    private record ZeroModel(ModelCard card) implements HandPoseModel {
        @Override
        public List<Joints3d> predict(List<float[]> crops) {
            return crops.stream().map(c -> new Joints3d(new double[63])).toList();
        }

        @Override
        public void close() {}
    }

    @Test
    void theThreadFailurePolicyStopsOnlyForAModelThatIsDown() {
        ThreadFailures failures = new ThreadFailures();
        assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, failures.handle(new StreamsException(new IllegalStateException("bug"))));
        assertTrue(failures.fatal().isEmpty());
        ModelUnavailableException down = new ModelUnavailableException("down", null);
        assertEquals(StreamThreadExceptionResponse.SHUTDOWN_CLIENT, failures.handle(new StreamsException("task 0_0", down)));
        assertEquals(down, failures.fatal().orElseThrow());
    }

    @Test
    @Timeout(120)
    void aRecordThatKeepsKillingItsThreadIsDeadLetteredAfterItsAttemptsAndThePartitionGoesOn() throws Exception {
        OpenCvNative.load();
        Topics standard = Topics.named("frames-poison", "poses-poison", "dlq-poison");
        Deserializer<Frame> avro = standard.frames().valueSerde().deserializer();
        Serde<Frame> buggy = Serdes.serdeFrom(standard.frames().valueSerde().serializer(), (topic, data) -> {
            Frame frame = avro.deserialize(topic, data);
            if (frame.getTakeName().equals("poison")) {
                throw new AssertionError("injected: a decoder bug on this record");
            }
            return frame;
        });
        Topics topics = new Topics(new Topic<>(standard.frames().name(), Serdes.String(), buggy), standard.poses(), standard.dlq());
        ModelCard card = ModelCard.read(BundledModel.extractTo(tmp.resolve("model")).resolve("model.json"));

        try (EmbeddedBroker broker = EmbeddedBroker.startEphemeral();
             Batcher batcher = new Batcher(new ZeroModel(card), 2, Duration.ZERO, 1, Duration.ofSeconds(30))) {
            broker.createTopics(1, topics.names());
            StageLimits limits = new StageLimits(8_500_000, 1 << 20, List.of(), 1, Duration.ZERO, 3, 0.5);
            ThreadFailures failures = new ThreadFailures();
            try (KafkaStreams streams = new KafkaStreams(
                    PoseTopology.build(topics, new HandCropper(new UndistortionMapCache(1), 4), CropMode.FUSED, batcher, limits),
                    streamsProperties(broker.bootstrapServers()))) {
                streams.setUncaughtExceptionHandler(failures);
                streams.start();
                send(broker.bootstrapServers(), topics, List.of(frame("poison", 0), frame("good", 1)));

                DeadLetter letter = readOne(broker.bootstrapServers(), topics.dlq().name(), topics.dlq().valueSerde().deserializer());
                assertEquals(3, letter.getAttempts());
                assertEquals(AssertionError.class.getName(), letter.getExceptionClass());
                assertEquals("decode", letter.getStage());
                assertTrue(letter.getReason().contains("stage decode failed unexpectedly (java.lang.AssertionError: injected")
                        && letter.getReason().endsWith("gave up after 3 attempts"), letter.getReason());
                assertEquals(0, letter.getSourceOffset());

                HandPoses posed = readOne(broker.bootstrapServers(), topics.poses().name(), topics.poses().valueSerde().deserializer());
                assertEquals(1, posed.getFrameNumber(), "the frame behind the poison record is posed");
                assertTrue(failures.fatal().isEmpty());
                assertEquals(KafkaStreams.State.RUNNING, streams.state());
                double poisoned = streams.metrics().entrySet().stream()
                        .filter(e -> e.getKey().name().equals("poisoned-total") && e.getKey().tags().containsValue("decode"))
                        .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
                assertEquals(1.0, poisoned);
            }
        }
    }

    private Properties streamsProperties(String bootstrap) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "poison-" + UUID.randomUUID());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, tmp.resolve("state").toString());
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        return props;
    }

    private static Frame frame(String takeName, long number) {
        return Frame.newBuilder()
                .setTakeUid("take-p").setTakeName(takeName).setFrameNumber(number).setCaptureTimeNs(number)
                .setImage(new InlineImage(ImageEncoding.JPEG, ByteBuffer.wrap(CropTestImages.solidJpeg(512, 512, 90, 120, 150))))
                .setWidth(512).setHeight(512).setOrientation(Orientation.SENSOR)
                .setCamera(new Pinhole(150.0, 150.0, 255.5, 255.5))
                .setHands(List.of(AvroMapping.toAvro(HandSide.RIGHT, new HandBox(100, 100, 300, 300))))
                .build();
    }

    private static void send(String bootstrap, Topics topics, List<Frame> frames) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<String, Frame> producer = new KafkaProducer<>(props, Serdes.String().serializer(),
                topics.frames().valueSerde().serializer())) {
            for (Frame f : frames) {
                producer.send(new ProducerRecord<>(topics.frames().name(), f.getTakeUid(), f)).get();
            }
        }
    }

    /** The first committed record of a topic, waiting at most 120 s. */
    private static <V> V readOne(String bootstrap, String topic, Deserializer<V> values) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(props, Serdes.String().deserializer(), values)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            List<V> got = new ArrayList<>();
            while (got.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(500))) {
                    got.add(r.value());
                }
            }
            assertEquals(1, got.size(), "records on " + topic);
            return got.get(0);
        }
    }
}
