package dev.egopose.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egopose.domain.Joints3d;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCardTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path bundledCard() {
        return BundledModel.extractTo(tmp.resolve("cache")).resolve("model.json");
    }

    @Test
    void readsTheBundledCard() {
        ModelCard card = ModelCard.read(bundledCard());
        assertEquals("potter-tiny", card.name());
        assertEquals(224, card.inputSize());
        assertEquals(3 * 224 * 224, card.cropFloats());
        assertEquals(0.485f, card.mean()[0]);
        assertEquals(0.225f, card.std()[2]);
        assertEquals("model.pt", card.modelFile());
        assertEquals(64, card.modelSha256().length());
        assertTrue(card.modelId().startsWith("potter-tiny@"));
        // The bundled card predates input.dtype: float32.
        assertEquals(ModelCard.FLOAT32, card.inputDtype());
    }

    @Test
    void readsTheInputDtypeOfAHalfExport() throws IOException {
        Path file = edited(card -> ((ObjectNode) card.get("input")).put("dtype", "float16"));
        assertEquals(ModelCard.FLOAT16, ModelCard.read(file).inputDtype());
    }

    @Test
    void refusesAnInputDtypeItCannotFeed() throws IOException {
        Path file = edited(card -> ((ObjectNode) card.get("input")).put("dtype", "bfloat16"));
        ModelException e = assertThrows(ModelException.class, () -> ModelCard.read(file));
        assertTrue(e.getMessage().contains("input.dtype") && e.getMessage().contains("bfloat16"), e.getMessage());
    }

    @Test
    void unNormalisesWithTheBenchmarksJointTables() {
        ModelCard card = ModelCard.read(bundledCard());
        float[] out = new float[Joints3d.JOINTS * 3];
        java.util.Arrays.fill(out, 1.0f);
        Joints3d metres = card.toMetres(out, 0);
        // Wrist: zero mean and zero std in the REFERENCE tables, so exactly 0 whatever the network says.
        assertEquals(0.0, metres.get(0, 0));
        assertEquals(0.0, metres.get(0, 2));
        // Joint 1: mean (-3.9501650, -0.86685377, 24.517984) mm, std (17.266953, 44.075836, 14.078445) mm.
        assertEquals((17.266953 - 3.9501650) / 1000.0, metres.get(1, 0), 1e-9);
        assertEquals((14.078445 + 24.517984) / 1000.0, metres.get(1, 2), 1e-9);
        // Joint 20 z: mean 111.80748, std 36.001797.
        assertEquals((36.001797 + 111.80748) / 1000.0, metres.get(20, 2), 1e-9);
    }

    @Test
    void refusesAnotherFormat() throws IOException {
        Path file = edited(card -> card.put("format", "something-else/2"));
        ModelException e = assertThrows(ModelException.class, () -> ModelCard.read(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("something-else/2"), e.getMessage());
    }

    @Test
    void namesAMissingField() throws IOException {
        Path file = edited(card -> card.remove("model_sha256"));
        ModelException e = assertThrows(ModelException.class, () -> ModelCard.read(file));
        assertTrue(e.getMessage().contains("model_sha256"), e.getMessage());
    }

    @Test
    void refusesAJointTableOfTheWrongLength() throws IOException {
        Path file = edited(card -> ((ArrayNode) card.get("joint_std_mm")).remove(20));
        ModelException e = assertThrows(ModelException.class, () -> ModelCard.read(file));
        assertTrue(e.getMessage().contains("joint_std_mm must be 21 rows"), e.getMessage());
    }

    @Test
    void refusesBgrInput() throws IOException {
        Path file = edited(card -> ((ObjectNode) card.get("input")).put("channels", "BGR"));
        ModelException e = assertThrows(ModelException.class, () -> ModelCard.read(file));
        assertTrue(e.getMessage().contains("input.channels"), e.getMessage());
    }

    @Test
    void refusesNonJson() throws IOException {
        Path file = tmp.resolve("model.json");
        Files.writeString(file, "{ not json");
        ModelException e = assertThrows(ModelException.class, () -> ModelCard.read(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    private Path edited(java.util.function.Consumer<ObjectNode> edit) throws IOException {
        ObjectNode card = (ObjectNode) JSON.readTree(bundledCard().toFile());
        edit.accept(card);
        Path file = tmp.resolve("edited.json");
        JSON.writeValue(file.toFile(), card);
        return file;
    }
}
