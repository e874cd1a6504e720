package dev.egopose.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.egopose.domain.Joints3d;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The model card written beside a TorchScript export ({@code model.json}): what the network takes,
 * what it returns and how to turn its normalised output into metres.
 *
 * @param name          e.g. {@code potter-tiny}
 * @param inputSize     side of the square crop (224)
 * @param mean          per-channel mean of the RGB normalisation
 * @param std           per-channel standard deviation of the RGB normalisation
 * @param jointMeanMm   21 x 3 wrist-relative joint means in millimetres, flattened
 * @param jointStdMm    21 x 3 joint standard deviations in millimetres, flattened
 * @param modelFile     the TorchScript file name, relative to the card
 * @param modelSha256   sha256 of that file
 * @param macsPerCrop   multiply-accumulates of one crop, as counted by the exporter
 * @param inputDtype    {@code float32}, or {@code float16} for a {@code --half} export (GPU only); cards
 *                      written before the field existed are float32
 */
public record ModelCard(
        String name,
        int inputSize,
        float[] mean,
        float[] std,
        double[] jointMeanMm,
        double[] jointStdMm,
        String modelFile,
        String modelSha256,
        long macsPerCrop,
        String inputDtype) {

    public static final String FORMAT = "egopose-model-card/1";
    public static final String FLOAT32 = "float32";
    public static final String FLOAT16 = "float16";

    /** Reads and validates a card; every error names the file and the field. */
    public static ModelCard read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new ModelException("cannot read model card " + file + ": " + e.getMessage(), e);
        }
        Fields f = new Fields(file, root);
        String format = f.text("format");
        if (!FORMAT.equals(format)) {
            throw new ModelException("model card " + file + ": format is '" + format + "', expected '" + FORMAT + "'");
        }
        JsonNode input = f.object("input");
        Fields in = new Fields(file, input, "input.");
        if (!"RGB".equals(in.text("channels"))) {
            throw new ModelException("model card " + file + ": input.channels must be RGB");
        }
        if (!"NCHW".equals(in.text("layout"))) {
            throw new ModelException("model card " + file + ": input.layout must be NCHW");
        }
        int size = in.positiveInt("size");
        float[] mean = toFloats(in.numbers("mean", 3));
        float[] std = toFloats(in.numbers("std", 3));
        for (float s : std) {
            if (!(s > 0)) {
                throw new ModelException("model card " + file + ": input.std must be positive, got " + Arrays.toString(std));
            }
        }
        String dtype = input.has("dtype") ? in.text("dtype") : FLOAT32;
        if (!FLOAT32.equals(dtype) && !FLOAT16.equals(dtype)) {
            throw new ModelException("model card " + file + ": input.dtype must be " + FLOAT32 + " or " + FLOAT16 + ", got '" + dtype + "'");
        }
        Fields out = new Fields(file, f.object("output"), "output.");
        if (out.positiveInt("joints") != Joints3d.JOINTS) {
            throw new ModelException("model card " + file + ": output.joints must be " + Joints3d.JOINTS);
        }
        return new ModelCard(
                f.text("name"),
                size,
                mean,
                std,
                f.table("joint_mean_mm"),
                f.table("joint_std_mm"),
                f.text("model_file"),
                f.text("model_sha256"),
                f.root.path("macs_per_crop").asLong(0),
                dtype);
    }

    /** Floats in one crop: 3 x size x size. */
    public int cropFloats() {
        return 3 * inputSize * inputSize;
    }

    /** Identifies the exact weights: the card's name and the start of the TorchScript file's sha256. */
    public String modelId() {
        return name + "@" + modelSha256.substring(0, Math.min(12, modelSha256.length()));
    }

    /**
     * Un-normalises one network output (63 floats from {@code offset}) into metres:
     * {@code (out * std + mean) / 1000}. The wrist's table entries are zero, so the wrist is exactly 0.
     */
    public Joints3d toMetres(float[] normalised, int offset) {
        double[] xyz = new double[Joints3d.JOINTS * 3];
        for (int i = 0; i < xyz.length; i++) {
            xyz[i] = (normalised[offset + i] * jointStdMm[i] + jointMeanMm[i]) / 1000.0;
        }
        return new Joints3d(xyz);
    }

    private static float[] toFloats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    /** Typed, validated access to the card's fields, each error naming file and field. */
    private record Fields(Path file, JsonNode root, String prefix) {
        Fields(Path file, JsonNode root) {
            this(file, root, "");
        }

        private ModelException bad(String field, String problem) {
            return new ModelException("model card " + file + ": " + prefix + field + " " + problem);
        }

        String text(String field) {
            JsonNode node = root.get(field);
            if (node == null || !node.isTextual() || node.asText().isEmpty()) {
                throw bad(field, "is missing or not a non-empty string");
            }
            return node.asText();
        }

        JsonNode object(String field) {
            JsonNode node = root.get(field);
            if (node == null || !node.isObject()) {
                throw bad(field, "is missing or not an object");
            }
            return node;
        }

        int positiveInt(String field) {
            JsonNode node = root.get(field);
            if (node == null || !node.canConvertToInt() || node.asInt() <= 0) {
                throw bad(field, "is missing or not a positive integer");
            }
            return node.asInt();
        }

        double[] numbers(String field, int count) {
            JsonNode node = root.get(field);
            if (node == null || !node.isArray() || node.size() != count) {
                throw bad(field, "must be an array of " + count + " numbers");
            }
            double[] values = new double[count];
            for (int i = 0; i < count; i++) {
                if (!node.get(i).isNumber()) {
                    throw bad(field, "[" + i + "] is not a number");
                }
                values[i] = node.get(i).asDouble();
            }
            return values;
        }

        double[] table(String field) {
            JsonNode node = root.get(field);
            if (node == null || !node.isArray() || node.size() != Joints3d.JOINTS) {
                throw bad(field, "must be " + Joints3d.JOINTS + " rows of [x, y, z]");
            }
            double[] flat = new double[Joints3d.JOINTS * 3];
            for (int j = 0; j < Joints3d.JOINTS; j++) {
                JsonNode row = node.get(j);
                if (!row.isArray() || row.size() != 3) {
                    throw bad(field, "row " + j + " is not [x, y, z]");
                }
                for (int a = 0; a < 3; a++) {
                    if (!row.get(a).isNumber() || !Double.isFinite(row.get(a).asDouble())) {
                        throw bad(field, "row " + j + " has a non-finite or non-numeric value");
                    }
                    flat[j * 3 + a] = row.get(a).asDouble();
                }
            }
            return flat;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelCard c
                && name.equals(c.name) && inputSize == c.inputSize
                && Arrays.equals(mean, c.mean) && Arrays.equals(std, c.std)
                && Arrays.equals(jointMeanMm, c.jointMeanMm) && Arrays.equals(jointStdMm, c.jointStdMm)
                && modelFile.equals(c.modelFile) && modelSha256.equals(c.modelSha256) && macsPerCrop == c.macsPerCrop
                && inputDtype.equals(c.inputDtype);
    }

    @Override
    public int hashCode() {
        return modelSha256.hashCode();
    }

    @Override
    public String toString() {
        return "ModelCard[" + modelId() + ", input " + inputSize + "x" + inputSize + " " + inputDtype + "]";
    }
}
