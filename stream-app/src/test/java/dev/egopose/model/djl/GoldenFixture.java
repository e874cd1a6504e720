package dev.egopose.model.djl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Inputs and PyTorch's outputs for them, as written by {@code export_potter.py --fixture}. */
record GoldenFixture(List<float[]> crops, float[] outputs) {
    static GoldenFixture read(Path folder) throws IOException {
        JsonNode meta = new ObjectMapper().readTree(folder.resolve("fixture.json").toFile());
        int batch = meta.get("input_shape").get(0).asInt();
        float[] inputs = floats(folder.resolve(meta.get("input_file").asText()));
        float[] outputs = floats(folder.resolve(meta.get("output_file").asText()));
        int per = inputs.length / batch;
        List<float[]> crops = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            crops.add(Arrays.copyOfRange(inputs, i * per, (i + 1) * per));
        }
        return new GoldenFixture(crops, outputs);
    }

    private static float[] floats(Path file) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[bytes.remaining() / 4];
        bytes.asFloatBuffer().get(values);
        return values;
    }

    /** The expected normalised output of crop {@code i} (63 floats). */
    float[] output(int i) {
        return Arrays.copyOfRange(outputs, i * 63, (i + 1) * 63);
    }
}
