package dev.egopose.ops;

import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;

/**
 * What the health endpoints answer from: the Kafka Streams state (empty until the client exists,
 * i.e. while the model loads) and whether the model is loaded.
 *
 * <p>Live unless the client is {@code NOT_RUNNING}, {@code PENDING_ERROR} or {@code ERROR} (a
 * restart is the only way out of those). Ready only when {@code RUNNING} with the model loaded.
 */
public record Health(Optional<KafkaStreams.State> streams, boolean modelLoaded) {

    /** While the model loads and the Kafka Streams client does not exist yet. */
    public static Health starting() {
        return new Health(Optional.empty(), false);
    }

    public boolean live() {
        return streams.map(s -> s != KafkaStreams.State.NOT_RUNNING && s != KafkaStreams.State.PENDING_ERROR
                && s != KafkaStreams.State.ERROR).orElse(true);
    }

    public boolean ready() {
        return modelLoaded && streams.map(s -> s == KafkaStreams.State.RUNNING).orElse(false);
    }

    /** One line for the response body, e.g. {@code kafka-streams=RUNNING model=loaded}. */
    public String describe() {
        return "kafka-streams=" + streams.map(Enum::name).orElse("NOT_CREATED") + " model=" + (modelLoaded ? "loaded" : "loading");
    }
}
