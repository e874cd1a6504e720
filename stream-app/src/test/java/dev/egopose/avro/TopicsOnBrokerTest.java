package dev.egopose.avro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egopose.broker.EmbeddedBroker;
import dev.egopose.schema.Frame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The topics' serdes through a real broker: frames keyed by take stay in order in one partition. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TopicsOnBrokerTest {

    @Test
    void framesRoundTripThroughKafkaInTakeOrderAndGarbageIsAClearError() throws Exception {
        Topics topics = Topics.defaults();
        Topic<String, Frame> frames = topics.frames();
        try (EmbeddedBroker broker = EmbeddedBroker.startEphemeral()) {
            assertEquals(3, broker.createTopics(3, topics.names()).get(frames.name()));

            Properties p = new Properties();
            p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            p.setProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG, "20000");
            try (KafkaProducer<String, Frame> producer = new KafkaProducer<>(p,
                    frames.keySerde().serializer(), frames.valueSerde().serializer())) {
                for (int n = 0; n < 10; n++) {
                    for (String take : List.of("take-a", "take-b", "take-c")) {
                        Frame f = Frame.newBuilder(AvroSerdeTest.fisheyeFrame()).setTakeUid(take).setFrameNumber(n).build();
                        producer.send(new ProducerRecord<>(frames.name(), take, f));
                    }
                }
                producer.flush();
            }

            Map<String, List<Long>> order = new HashMap<>();
            Map<String, Integer> partitionOf = new HashMap<>();
            for (ConsumerRecord<String, Frame> r : consume(broker.bootstrapServers(), frames, 30)) {
                assertEquals(r.key(), r.value().getTakeUid());
                order.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value().getFrameNumber());
                Integer before = partitionOf.put(r.key(), r.partition());
                assertTrue(before == null || before == r.partition(), "take " + r.key() + " stays in one partition");
            }
            for (List<Long> numbers : order.values()) {
                assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), numbers);
            }

            // Garbage on the frames topic surfaces as the clear decode error (what the topology sends to the DLQ).
            try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
                raw.send(new ProducerRecord<>(topics.poses().name(), "take-x".getBytes(), "not avro".getBytes())).get(20, TimeUnit.SECONDS);
            }
            RecordDeserializationException e = assertThrows(RecordDeserializationException.class,
                    () -> consume(broker.bootstrapServers(), topics.poses(), 1));
            AvroDecodeException cause = (AvroDecodeException) e.getCause();
            assertEquals("egopose.poses", cause.topic());
            assertEquals(AvroDecodeException.Problem.NOT_SINGLE_OBJECT, cause.problem());
        }
    }

    private static <V> List<ConsumerRecord<String, V>> consume(String bootstrap, Topic<String, V> topic, int expected) {
        Properties p = new Properties();
        p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.setProperty(ConsumerConfig.GROUP_ID_CONFIG, "test-" + System.nanoTime());
        p.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, V>> got = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(p,
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            consumer.subscribe(List.of(topic.name()));
            while (got.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(got::add);
            }
        }
        assertEquals(expected, got.size(), "records read back from " + topic.name());
        return got;
    }
}
