package dev.egopose.model.djl;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The benchmark-sized model through DJL against PyTorch's numbers for the same input. Its export
 * (58 MB) is not committed: {@code .ci/run} makes one with {@code export_potter.py --config s12
 * --random-init --fixture} and points {@code EGOPOSE_S12_DIR} at it; elsewhere this test skips.
 */
class S12ParityTest {
    @Test
    void djlMatchesPyTorchOnTheS12Export() throws Exception {
        String dir = System.getenv("EGOPOSE_S12_DIR");
        assumeTrue(dir != null && Files.isDirectory(Path.of(dir)), "EGOPOSE_S12_DIR is not set to an s12 export");
        GoldenFixture golden = GoldenFixture.read(Path.of(dir, "fixture"));
        try (TorchScriptModel model = TorchScriptModel.load(Path.of(dir), ModelOptions.defaults().withBatchSizes(golden.crops().size()))) {
            TorchScriptModelTest.assertClose(golden.outputs(), model.forward(golden.crops()), 1e-4);
        }
    }
}
