package dev.egopose.model.djl;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The benchmark-sized model through DJL against PyTorch's numbers for the same input. Its export
 * (58 MB) is not committed: {@code .ci/run} makes one with {@code export_potter.py --config s12
 * --random-init --fixture} (the rewritten module; the fixture holds the reference module's outputs)
 * and points {@code EGOPOSE_S12_DIR} at it, and a {@code --half} export of the same weights at
 * {@code EGOPOSE_S12_HALF_DIR}; elsewhere these tests skip. {@code EGOPOSE_TEST_DEVICE} (default
 * {@code cpu}) runs them on a GPU ({@code scripts/gpu-bench.sh}).
 */
class S12ParityTest {
    /** Float16 weights and activations against the float32 reference, normalised units (0.0048 measured on CPU libtorch 2.7.1). */
    private static final double HALF_TOLERANCE = 0.02;

    @Test
    void djlMatchesPyTorchOnTheS12Export() throws Exception {
        assertMatchesFixture("EGOPOSE_S12_DIR", 1e-4);
    }

    @Test
    void halfExportStaysCloseToTheFloat32Reference() throws Exception {
        assertMatchesFixture("EGOPOSE_S12_HALF_DIR", HALF_TOLERANCE);
    }

    private static void assertMatchesFixture(String variable, double tolerance) throws Exception {
        String dir = System.getenv(variable);
        assumeTrue(dir != null && Files.isDirectory(Path.of(dir)), variable + " is not set to an s12 export");
        GoldenFixture golden = GoldenFixture.read(Path.of(dir, "fixture"));
        ModelOptions options = ModelOptions.defaults()
                .withDevice(System.getenv().getOrDefault("EGOPOSE_TEST_DEVICE", "cpu"))
                .withBatchSizes(golden.crops().size());
        try (TorchScriptModel model = TorchScriptModel.load(Path.of(dir), options)) {
            TorchScriptModelTest.assertClose(golden.outputs(), model.forward(golden.crops()), tolerance);
        }
    }
}
