package dev.egopose.avro;

import dev.egopose.avro.AvroDecodeException.Problem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka serde for one generated Avro class, without a schema registry: values are written in Avro
 * single-object encoding ({@code C3 01}, the 8-byte little-endian CRC-64-AVRO fingerprint of the
 * writer schema, then the binary body). The reader resolves the current schema and any older writer
 * schemas it was given, so data written by an earlier version of the contract stays readable (see
 * {@code schemas/COMPATIBILITY.md}).
 *
 * <p>{@code null} maps to {@code null} both ways (tombstones). Decoding failures throw
 * {@link AvroDecodeException} naming the topic, the type and the problem. Thread-safe: the Avro
 * encoder and decoder keep their buffers per thread.
 *
 * @param <T> the generated class, e.g. {@code dev.egopose.schema.Frame}
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {
    private static final byte MAGIC_0 = (byte) 0xC3;
    private static final byte MAGIC_1 = (byte) 0x01;
    private static final int HEADER_LENGTH = 10;

    private final Class<T> type;
    private final Schema schema;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;
    private final List<Schema> olderWriterSchemas;
    private final Map<Long, Schema> writerSchemas;

    private AvroSerde(Class<T> type, Collection<Schema> olderWriterSchemas) {
        this.type = Objects.requireNonNull(type, "type");
        if (!ClassSecurityValidator.getGlobal().isTrusted(type)) {
            throw new IllegalStateException("Avro does not trust " + type.getName() + " and would refuse to decode it;"
                    + " start the JVM with -Dorg.apache.avro.SERIALIZABLE_PACKAGES=" + type.getPackageName()
                    + " (read once, before Avro loads)");
        }
        SpecificData model = SpecificData.getForClass(type);
        this.schema = model.getSchema(type);
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        this.decoder = new BinaryMessageDecoder<>(model, schema);
        this.olderWriterSchemas = List.copyOf(olderWriterSchemas);
        Map<Long, Schema> writers = new HashMap<>();
        writers.put(SchemaNormalization.parsingFingerprint64(schema), schema);
        for (Schema older : this.olderWriterSchemas) {
            if (!older.getFullName().equals(schema.getFullName())) {
                throw new IllegalArgumentException("older writer schema " + older.getFullName()
                        + " is not a version of " + schema.getFullName());
            }
            decoder.addSchema(older);
            writers.put(SchemaNormalization.parsingFingerprint64(older), older);
        }
        this.writerSchemas = Map.copyOf(writers);
    }

    /** A serde for {@code type} that reads data written with its current schema only. */
    public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
        return new AvroSerde<>(type, List.of());
    }

    /**
     * A serde for {@code type} that also reads data written with each of {@code olderWriterSchemas}
     * (earlier versions of the same record), resolving it to the current schema.
     */
    public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type, Collection<Schema> olderWriterSchemas) {
        return new AvroSerde<>(type, olderWriterSchemas);
    }

    public Class<T> type() {
        return type;
    }

    /** The schema this serde writes, and resolves every known writer schema to. */
    public Schema schema() {
        return schema;
    }

    /** The 64-bit fingerprint written in every value's header. */
    public long fingerprint() {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    /** The older writer schemas this serde can also read. */
    public List<Schema> olderWriterSchemas() {
        return olderWriterSchemas;
    }

    /**
     * Encodes {@code value}; {@code topic} only names the destination in an error.
     *
     * @throws SerializationException if the record cannot be encoded (e.g. a required field is null)
     */
    public byte[] encode(String topic, T value) {
        if (value == null) {
            return null;
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            encoder.encode(value, out);
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot encode a " + type.getSimpleName() + " for topic " + topic + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Decodes {@code data} read from {@code topic}; {@code null} gives {@code null}.
     *
     * @throws AvroDecodeException naming the topic, the type and what was wrong
     */
    public T decode(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        String what = "cannot decode a " + type.getSimpleName() + " from topic " + topic + " (" + data.length + " bytes): ";
        if (data.length == 0) {
            throw failure(topic, Problem.EMPTY, what + "the value is empty", null);
        }
        if (data.length < HEADER_LENGTH || data[0] != MAGIC_0 || data[1] != MAGIC_1) {
            throw failure(topic, Problem.NOT_SINGLE_OBJECT, what + "not Avro single-object encoding (expected the header c3 01"
                    + " and an 8-byte schema fingerprint, found " + hexPrefix(data) + ")" + guess(data), null);
        }
        Schema writer = writerSchemas.get(readFingerprint(data));
        if (writer == null) {
            throw failure(topic, Problem.UNKNOWN_SCHEMA, what + "written with an unknown schema (fingerprint "
                    + fingerprintHex(data) + "; this reader knows " + knownFingerprints()
                    + "): a newer writer, or another record type on this topic", null);
        }
        // First walk the body with the writer schema without building anything: every length and count
        // must fit in the bytes at hand, so corrupt data cannot make the real decode allocate huge arrays.
        try {
            BinaryDecoder walk = DecoderFactory.get().binaryDecoder(data, HEADER_LENGTH, data.length - HEADER_LENGTH, null);
            GenericDatumReader.skip(writer, walk);
            if (!walk.isEnd()) {
                int left = walk.inputStream().available();
                throw failure(topic, Problem.CORRUPT_BODY, what + left + " unexpected bytes after the end of the "
                        + type.getSimpleName(), null);
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof AvroDecodeException known) {
                throw known;
            }
            throw failure(topic, Problem.CORRUPT_BODY, what + "the body does not decode (" + describe(e) + ")", e);
        }
        T value;
        try {
            value = decoder.decode(data);
        } catch (MissingSchemaException e) {
            throw failure(topic, Problem.UNKNOWN_SCHEMA, what + "written with an unknown schema (fingerprint "
                    + fingerprintHex(data) + ")", e);
        } catch (IOException | RuntimeException e) {
            throw failure(topic, Problem.CORRUPT_BODY, what + "the body does not decode (" + describe(e) + ")", e);
        }
        return value;
    }

    @Override
    public Serializer<T> serializer() {
        return this::encode;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this::decode;
    }

    @Override
    public String toString() {
        return "AvroSerde[" + type.getSimpleName() + ", fingerprint " + Long.toHexString(fingerprint())
                + ", " + olderWriterSchemas.size() + " older writer schemas]";
    }

    private AvroDecodeException failure(String topic, Problem problem, String message, Throwable cause) {
        return new AvroDecodeException(topic, type.getSimpleName(), problem, message, cause);
    }

    private String knownFingerprints() {
        List<String> known = new ArrayList<>();
        known.add(toHexLittleEndian(fingerprint()) + " (current)");
        for (Schema older : olderWriterSchemas) {
            known.add(toHexLittleEndian(SchemaNormalization.parsingFingerprint64(older)));
        }
        return String.join(", ", known);
    }

    private static long readFingerprint(byte[] data) {
        long fingerprint = 0;
        for (int i = 0; i < 8; i++) {
            fingerprint |= (data[2 + i] & 0xFFL) << (8 * i);
        }
        return fingerprint;
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof java.io.EOFException) {
            return "it ends too early: truncated, or a length or count in it is wrong";
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    private static String fingerprintHex(byte[] data) {
        return HexFormat.of().formatHex(data, 2, HEADER_LENGTH);
    }

    private static String toHexLittleEndian(long fingerprint) {
        byte[] bytes = new byte[8];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (fingerprint >>> (8 * i));
        }
        return HexFormat.of().formatHex(bytes);
    }

    private static String hexPrefix(byte[] data) {
        int n = Math.min(data.length, 8);
        return HexFormat.ofDelimiter(" ").formatHex(data, 0, n) + (data.length > n ? " ..." : "");
    }

    private static String guess(byte[] data) {
        if (data[0] == 0 && data.length >= 5) {
            return "; it looks like schema-registry framing (magic 0 + 4-byte schema id), which this topic does not use";
        }
        if (data[0] == '{' || data[0] == '[') {
            return "; it looks like JSON";
        }
        if (data.length >= 2 && (data[0] & 0xFF) == 0xFF && (data[1] & 0xFF) == 0xD8) {
            return "; it looks like a bare JPEG image";
        }
        return "";
    }
}
