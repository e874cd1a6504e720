package dev.egopose.avro;

import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.Serde;

/**
 * A topic's name together with the serdes of its keys and values, so that whoever reads or writes
 * the topic uses the same ones.
 *
 * @param name       a legal Kafka topic name
 * @param keySerde   how keys are written (the take uid as a String on every egopose topic)
 * @param valueSerde how values are written
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {
    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    public Topic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
        if (!LEGAL.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("illegal Kafka topic name '" + name
                    + "' (1 to 249 characters of a-z, A-Z, 0-9, '.', '_', '-'; not '.' or '..')");
        }
    }

    /** The same serdes under another name. */
    public Topic<K, V> withName(String newName) {
        return new Topic<>(newName, keySerde, valueSerde);
    }

    /** Encodes a key for this topic. */
    public byte[] serializeKey(K key) {
        return keySerde.serializer().serialize(name, key);
    }

    /** Encodes a value for this topic. */
    public byte[] serializeValue(V value) {
        return valueSerde.serializer().serialize(name, value);
    }

    /** Decodes a key read from this topic. */
    public K deserializeKey(byte[] key) {
        return keySerde.deserializer().deserialize(name, key);
    }

    /** Decodes a value read from this topic; Avro values fail with {@link AvroDecodeException}. */
    public V deserializeValue(byte[] value) {
        return valueSerde.deserializer().deserialize(name, value);
    }

    @Override
    public String toString() {
        return "Topic[" + name + "]";
    }
}
