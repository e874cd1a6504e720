package dev.egopose.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 180, unit = TimeUnit.SECONDS)
class EmbeddedBrokerTest {

    @Test
    void startsProducesAndConsumesThenDeletesItsEphemeralDirectory() throws Exception {
        Path dir;
        try (EmbeddedBroker broker = EmbeddedBroker.startEphemeral()) {
            dir = broker.directory();
            assertTrue(broker.isEphemeral());
            assertTrue(broker.bootstrapServers().startsWith("127.0.0.1:"), broker.bootstrapServers());
            assertTrue(Files.exists(dir.resolve("kafka").resolve("meta.properties")), "storage formatted");
            System.out.println("broker start took " + broker.startupTime().toMillis() + " ms");

            Map<String, Integer> topics = broker.createTopics(3, List.of("t.one", "t.two"));
            assertEquals(Map.of("t.one", 3, "t.two", 3), topics);
            // Existing topics are left alone and reported with their real partition count.
            assertEquals(Map.of("t.one", 3), broker.createTopics(5, List.of("t.one")));

            RecordMetadata meta = produce(broker.bootstrapServers(), "t.one", List.of("take-1=hello"));
            assertEquals("t.one", meta.topic());
            List<ConsumerRecord<String, String>> got = consume(broker.bootstrapServers(), "t.one", 1);
            assertEquals("take-1", got.get(0).key());
            assertEquals("hello", got.get(0).value());
        }
        assertFalse(Files.exists(dir), "ephemeral directory deleted on close: " + dir);
    }

    @Test
    void restartOnPersistentDirectoryKeepsDataAddressAndCluster(@TempDir Path dir) throws Exception {
        String bootstrap;
        String clusterId;
        try (EmbeddedBroker first = EmbeddedBroker.start(BrokerSettings.persistent(dir))) {
            assertFalse(first.isEphemeral());
            bootstrap = first.bootstrapServers();
            clusterId = first.clusterId();
            first.createTopics(2, List.of("kept"));
            produce(bootstrap, "kept", List.of("a=1", "b=2", "c=3"));
        }
        assertTrue(Files.exists(dir.resolve("kafka").resolve("meta.properties")), "persistent directory kept");

        try (EmbeddedBroker second = EmbeddedBroker.start(BrokerSettings.persistent(dir))) {
            assertEquals(bootstrap, second.bootstrapServers(), "remembered port reused");
            assertEquals(clusterId, second.clusterId(), "not formatted again");
            assertTrue(new TopicAdmin(second.bootstrapServers(), Duration.ofSeconds(20)).listTopics().contains("kept"));
            List<ConsumerRecord<String, String>> got = consume(second.bootstrapServers(), "kept", 3);
            List<String> values = new ArrayList<>();
            for (ConsumerRecord<String, String> r : got) {
                values.add(r.key() + "=" + r.value());
            }
            Collections.sort(values);
            assertEquals(List.of("a=1", "b=2", "c=3"), values);
        }
    }

    @Test
    void restartOnPersistentDirectoryWithOtherPortsStillWorks(@TempDir Path dir) throws Exception {
        int firstPort;
        int firstControllerPort;
        try (EmbeddedBroker first = EmbeddedBroker.start(BrokerSettings.persistent(dir))) {
            firstPort = first.port();
            firstControllerPort = first.controllerPort();
            first.createTopics(1, List.of("moved"));
            produce(first.bootstrapServers(), "moved", List.of("k=v"));
        }
        int port = freePortOtherThan(firstPort, firstControllerPort);
        int controllerPort = freePortOtherThan(firstPort, firstControllerPort, port);
        try (EmbeddedBroker second = EmbeddedBroker.start(
                BrokerSettings.persistent(dir).withPort(port).withControllerPort(controllerPort))) {
            assertEquals(port, second.port());
            assertNotEquals(firstControllerPort, second.controllerPort());
            assertEquals("v", consume(second.bootstrapServers(), "moved", 1).get(0).value());
        }
    }

    @Test
    void listensOnLoopbackOnly() throws Exception {
        Optional<InetAddress> external = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst();
        try (EmbeddedBroker broker = EmbeddedBroker.startEphemeral()) {
            assertTrue(canConnect(InetAddress.getLoopbackAddress(), broker.port()));
            if (external.isPresent()) {
                assertFalse(canConnect(external.get(), broker.port()), "reachable on " + external.get());
                assertFalse(canConnect(external.get(), broker.controllerPort()), "controller reachable on " + external.get());
            } else {
                System.out.println("no non-loopback address on this machine; only the loopback side was checked");
            }
        }
    }

    @Test
    void aTakenPortIsAClearError() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> EmbeddedBroker.start(BrokerSettings.ephemeral().withPort(taken.getLocalPort())));
            assertTrue(e.getMessage().contains("port " + taken.getLocalPort()) && e.getMessage().contains("in use"),
                    e.getMessage());
        }
    }

    @Test
    void settingsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> BrokerSettings.ephemeral().withPort(70000));
        assertThrows(IllegalArgumentException.class, () -> BrokerSettings.ephemeral().withPort(9000).withControllerPort(9000));
        assertThrows(IllegalArgumentException.class, () -> BrokerSettings.ephemeral().withStartTimeout(Duration.ZERO));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EmbeddedBroker.start(
                BrokerSettings.ephemeral().withOverrides(Map.of("listeners", "PLAINTEXT://0.0.0.0:9092"))));
        assertTrue(e.getMessage().contains("listeners"), e.getMessage());
    }

    static RecordMetadata produce(String bootstrap, String topic, List<String> keyValues) throws Exception {
        Properties p = new Properties();
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.setProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG, "20000");
        p.setProperty(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "20000");
        p.setProperty(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        RecordMetadata last = null;
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (String kv : keyValues) {
                String[] parts = kv.split("=", 2);
                last = producer.send(new ProducerRecord<>(topic, parts[0], parts[1])).get(20, TimeUnit.SECONDS);
            }
        }
        return last;
    }

    static List<ConsumerRecord<String, String>> consume(String bootstrap, String topic, int expected) {
        Properties p = new Properties();
        p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.setProperty(ConsumerConfig.GROUP_ID_CONFIG, "test-" + System.nanoTime());
        p.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, String>> got = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (got.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(got::add);
            }
        }
        assertEquals(expected, got.size(), "records read back from " + topic);
        return got;
    }

    private static boolean canConnect(InetAddress address, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePortOtherThan(int... avoid) throws IOException {
        while (true) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                int candidate = s.getLocalPort();
                boolean clash = false;
                for (int a : avoid) {
                    clash |= a == candidate;
                }
                if (!clash) {
                    return candidate;
                }
            }
        }
    }
}
