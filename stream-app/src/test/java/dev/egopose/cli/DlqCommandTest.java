package dev.egopose.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.egopose.avro.Topics;
import dev.egopose.broker.EmbeddedBroker;
import dev.egopose.schema.DeadLetter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code egopose dlq} on a real broker: each dead letter as a line or JSON, a foreign value reported, not fatal. */
class DlqCommandTest {
    @Test
    @Timeout(120)
    void printsEachDeadLetterAndSurvivesAValueThatIsNotOne() throws Exception {
        Topics topics = Topics.named("frames-dlqcmd", "poses-dlqcmd", "dlq-dlqcmd");
        try (EmbeddedBroker broker = EmbeddedBroker.startEphemeral()) {
            broker.createTopics(1, topics.names());
            DeadLetter letter = DeadLetter.newBuilder()
                    .setReason("take t frame 3: field image: truncated JPEG").setStage("decode")
                    .setSourceTopic("frames-dlqcmd").setSourcePartition(0).setSourceOffset(41)
                    .setOriginalKey(ByteBuffer.wrap("t".getBytes(StandardCharsets.UTF_8))).setOriginalValue(ByteBuffer.wrap(new byte[77]))
                    .setFailedAtMs(5).setAttempts(1).setApplicationId("egopose").setTaskId("0_0").build();
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>("dlq-dlqcmd", topics.dlq().serializeValue(letter))).get();
                producer.send(new ProducerRecord<>("dlq-dlqcmd", "not a letter".getBytes(StandardCharsets.UTF_8))).get();
            }
            List<String> text = run(broker, false);
            assertEquals("frames-dlqcmd-0@41  decode x1  take t frame 3: field image: truncated JPEG", text.get(0));
            assertTrue(text.get(1).startsWith("dlq offset 0@1: not a dead letter: "), text.get(1));
            assertEquals("2 dead letters on dlq-dlqcmd", text.get(2));

            JsonNode json = new ObjectMapper().readTree(run(broker, true).get(0));
            assertEquals("take t frame 3: field image: truncated JPEG", json.get("reason").asText());
            assertEquals(41, json.get("source_offset").asLong());
            assertEquals(77, json.get("original_value_bytes").asInt());
        }
    }

    private static List<String> run(EmbeddedBroker broker, boolean json) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            List<String> args = new java.util.ArrayList<>(List.of("dlq", "--bootstrap", broker.bootstrapServers(),
                    "--set", "topic.frames=frames-dlqcmd", "--set", "topic.poses=poses-dlqcmd", "--set", "topic.dlq=dlq-dlqcmd",
                    "--idle-timeout", "3"));
            if (json) {
                args.add("--json");
            }
            assertEquals(0, Main.commandLine().execute(args.toArray(String[]::new)));
        } finally {
            System.setOut(original);
        }
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
