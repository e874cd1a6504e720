package dev.egopose.cli;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Finds {@code kafka.*} keys that no Kafka client egopose makes knows (a typo such as
 * {@code kafka.securty.protocol} would otherwise be ignored without a word). They are still passed
 * on: serdes, interceptors and other plug-ins read keys of their own.
 */
final class KafkaClientKeys {
    private static final Set<String> KNOWN = known();
    /** Kafka Streams' per-client prefixes, and topic. for the configs of the topics it creates. */
    private static final List<String> PREFIXES = List.of(
            "main.consumer.", "restore.consumer.", "global.consumer.", "consumer.", "producer.", "admin.", "topic.");

    private KafkaClientKeys() {}

    private static Set<String> known() {
        Set<String> known = new HashSet<>(ProducerConfig.configNames());
        known.addAll(ConsumerConfig.configNames());
        known.addAll(AdminClientConfig.configNames());
        known.addAll(StreamsConfig.configDef().names());
        return Set.copyOf(known);
    }

    /** The keys (prefix stripped, as in {@code Settings.kafka()}) that no client knows, sorted. */
    static List<String> unknown(Collection<String> kafkaKeys) {
        return kafkaKeys.stream().filter(key -> !isKnown(key)).sorted().toList();
    }

    private static boolean isKnown(String key) {
        for (String prefix : PREFIXES) {
            if (key.startsWith(prefix)) {
                return prefix.equals("topic.") || KNOWN.contains(key.substring(prefix.length()));
            }
        }
        return KNOWN.contains(key);
    }
}
