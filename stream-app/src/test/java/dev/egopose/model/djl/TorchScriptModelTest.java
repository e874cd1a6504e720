package dev.egopose.model.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egopose.domain.Joints3d;
import dev.egopose.model.BundledModel;
import dev.egopose.model.ModelException;
import dev.egopose.model.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorchScriptModelTest {
    /** Normalised units, as the issue asks. */
    private static final double PARITY = 1e-4;

    private static Path bundled;
    private static GoldenFixture golden;
    private static TorchScriptModel model;

    @TempDir
    Path tmp;

    @BeforeAll
    static void load(@TempDir Path cache) throws IOException {
        bundled = BundledModel.extractTo(cache);
        golden = GoldenFixture.read(Path.of("src/test/resources/golden/potter-tiny"));
        model = TorchScriptModel.load(bundled, new ModelOptions("cpu", new int[] {1, 2, 4, 16}, 2));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void matchesPyTorchOnTheGoldenFixture() {
        float[] out = model.forward(golden.crops());
        assertClose(golden.outputs(), out, PARITY);
    }

    @Test
    void paddedAndSplitBatchesGiveTheSameNumbers() {
        // 3 crops pad to 4; 17 crops split into 16 + 1.
        for (int n : new int[] {1, 3, 17}) {
            List<float[]> crops = new ArrayList<>();
            float[] expected = new float[n * 63];
            for (int i = 0; i < n; i++) {
                crops.add(golden.crops().get(i % 2));
                System.arraycopy(golden.output(i % 2), 0, expected, i * 63, 63);
            }
            assertClose(expected, model.forward(crops), PARITY);
        }
    }

    @Test
    void predictsMetresWithTheWristAtZero() {
        List<Joints3d> poses = model.predict(golden.crops());
        assertEquals(2, poses.size());
        for (int i = 0; i < 2; i++) {
            Joints3d pose = poses.get(i);
            assertEquals(0.0, pose.get(0, 0));
            assertEquals(0.0, pose.get(0, 1));
            assertEquals(0.0, pose.get(0, 2));
            // Joint 5 x: mean -48.375599 mm, std 21.826715 mm.
            double expected = (golden.output(i)[15] * 21.826715 - 48.375599) / 1000.0;
            assertEquals(expected, pose.get(5, 0), 1e-6);
        }
    }

    @Test
    void isSafeToCallFromSeveralThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int which = t % 2;
                results.add(pool.submit(() -> model.forward(List.of(golden.crops().get(which)))));
            }
            for (int t = 0; t < 8; t++) {
                assertClose(golden.output(t % 2), results.get(t).get(), PARITY);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void refusesACropOfTheWrongSize() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.predict(List.of(golden.crops().get(0), new float[3 * 112 * 112])));
        assertTrue(e.getMessage().contains("crop 1 has 37632 floats, expected 3 x 224 x 224 = 150528"), e.getMessage());
    }

    @Test
    void refusesAMissingFolder() {
        Path missing = tmp.resolve("nope");
        ModelException e = assertThrows(ModelException.class, () -> TorchScriptModel.load(missing, ModelOptions.defaults()));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void refusesAFolderWithoutACard() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("nocard"));
        Files.copy(bundled.resolve("model.pt"), dir.resolve("model.pt"));
        ModelException e = assertThrows(ModelException.class, () -> TorchScriptModel.load(dir, ModelOptions.defaults()));
        assertTrue(e.getMessage().contains("no model.json"), e.getMessage());
    }

    @Test
    void refusesACardOfAnotherExport() throws IOException {
        Path dir = copyWithCard(card -> card.put("model_sha256", "0".repeat(64)));
        ModelException e = assertThrows(ModelException.class, () -> TorchScriptModel.load(dir, ModelOptions.defaults()));
        assertTrue(e.getMessage().contains("does not match"), e.getMessage());
    }

    @Test
    void refusesACorruptModelFile() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("corrupt"));
        Files.write(dir.resolve("model.pt"), "this is not a TorchScript archive".getBytes());
        String sha = Sha256.of(dir.resolve("model.pt"));
        ObjectNode card = (ObjectNode) new ObjectMapper().readTree(bundled.resolve("model.json").toFile());
        card.put("model_sha256", sha);
        new ObjectMapper().writeValue(dir.resolve("model.json").toFile(), card);
        ModelException e = assertThrows(ModelException.class, () -> TorchScriptModel.load(dir, ModelOptions.defaults()));
        assertTrue(e.getMessage().contains("cannot load"), e.getMessage());
    }

    @Test
    void refusesACardWhoseInputTheModelCannotTake() throws IOException {
        // The tiny network's patch splits only line up for 224 crops.
        Path dir = copyWithCard(card -> ((ObjectNode) card.get("input")).put("size", 112));
        ModelException e = assertThrows(ModelException.class,
                () -> TorchScriptModel.load(dir, ModelOptions.defaults().withBatchSizes(1)));
        assertTrue(e.getMessage().contains("does not accept the card's input [1, 3, 112, 112]"), e.getMessage());
    }

    @Test
    void feedsTheCardsInputDtype() throws IOException {
        // A float32 model whose card says float16 gets float16 crops, which its float32 weights refuse.
        Path dir = copyWithCard(card -> ((ObjectNode) card.get("input")).put("dtype", "float16"));
        ModelException e = assertThrows(ModelException.class,
                () -> TorchScriptModel.load(dir, ModelOptions.defaults().withBatchSizes(1)));
        assertTrue(e.getMessage().contains("[1, 3, 224, 224] float16 on cpu()"), e.getMessage());
    }

    @Test
    void refusesADeviceItDoesNotKnow() {
        ModelException e = assertThrows(ModelException.class,
                () -> TorchScriptModel.load(bundled, ModelOptions.defaults().withDevice("tpu:0")));
        assertTrue(e.getMessage().contains("unknown device 'tpu:0'"), e.getMessage());
    }

    @Test
    void refusesAGpuThatIsNotThere() {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                ai.djl.engine.Engine.getEngine("PyTorch").getGpuCount() == 0, "a GPU is present");
        ModelException e = assertThrows(ModelException.class,
                () -> TorchScriptModel.load(bundled, ModelOptions.defaults().withDevice("gpu:0")));
        assertTrue(e.getMessage().contains("gpu:0"), e.getMessage());
        assertTrue(e.getMessage().contains("PYTORCH_FLAVOR=cu128"), e.getMessage());
    }

    private Path copyWithCard(java.util.function.Consumer<ObjectNode> edit) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("copy"));
        Files.copy(bundled.resolve("model.pt"), dir.resolve("model.pt"));
        ObjectNode card = (ObjectNode) new ObjectMapper().readTree(bundled.resolve("model.json").toFile());
        edit.accept(card);
        new ObjectMapper().writeValue(dir.resolve("model.json").toFile(), card);
        return dir;
    }

    static void assertClose(float[] expected, float[] actual, double tolerance) {
        assertEquals(expected.length, actual.length, "length");
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(worst <= tolerance, "largest difference " + worst + " exceeds " + tolerance);
    }
}
