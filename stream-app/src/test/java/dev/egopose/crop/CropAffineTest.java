package dev.egopose.crop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.egopose.camera.CameraReference;
import dev.egopose.domain.HandBox;
import org.junit.jupiter.api.Test;

class CropAffineTest {
    @Test
    void referenceExampleBoxGivesTheDocumentedScale() {
        CropAffine affine = CropAffine.forBox(new HandBox(288.72, 325.86, 449.42, 473.67));
        // REFERENCE section 2: k = 1.115133
        assertEquals(1.115133, affine.k(), 1e-4);
        // From the box as printed (two decimals) the translation is 112 - k c = (-299.5578, -333.7865);
        // REFERENCE's (-299.5634, -333.7931) implies the unrounded box of the test file (c = 369.0711, 399.7661).
        assertEquals(-299.5634, affine.tx(), 1e-2);
        assertEquals(-333.7931, affine.ty(), 1e-2);
    }

    @Test
    void matrixMatchesNumpyFormulaAndTheBaselinesFloat32Route() {
        for (JsonNode c : CameraReference.root().get("crops")) {
            double[] b = CameraReference.doubles(c.get("box"));
            double[] m = CropAffine.forBox(new HandBox(b[0], b[1], b[2], b[3])).matrix();
            for (int r = 0; r < 2; r++) {
                for (int col = 0; col < 3; col++) {
                    assertEquals(c.get("matrix").get(r).get(col).asDouble(), m[3 * r + col], 1e-9, "formula " + r + "," + col);
                    assertEquals(c.get("baseline_matrix").get(r).get(col).asDouble(), m[3 * r + col], 1e-4, "baseline " + r + "," + col);
                }
            }
        }
    }

    @Test
    void inverseMapsCropCentreToBoxCentre() {
        HandBox box = new HandBox(10, 20, 110, 60);
        CropAffine affine = CropAffine.forBox(box);
        assertEquals(224 / (1.25 * 100), affine.k(), 1e-12);
        assertEquals(60, affine.sourceX(112), 1e-9);
        assertEquals(40, affine.sourceY(112), 1e-9);
    }
}
