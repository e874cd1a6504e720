package dev.egopose.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import org.junit.jupiter.api.Test;

class SimulatedModelTest {
    @Test
    void aCostCurveIsReadAsMillisecondsPerBatch() {
        SimulatedModel model = SimulatedModel.parse(" 4 + 0.5 * n ", null);
        assertEquals(4.0, model.batchMs(0));
        assertEquals(8.0, model.batchMs(8));
    }

    @Test
    void aBatchTakesAtLeastItsCostAndYieldsOnePosePerCrop() {
        SimulatedModel model = SimulatedModel.parse("30+5*n", null);
        long start = System.nanoTime();
        var poses = model.predict(Collections.nCopies(4, new float[1]));
        double ms = (System.nanoTime() - start) / 1e6;
        assertEquals(4, poses.size());
        assertTrue(ms >= 50, "a batch of 4 at 30+5*n ms took only " + ms + " ms");
    }

    @Test
    void malformedOrOutOfRangeCurvesAreRefused() {
        for (String curve : new String[] {"", "4", "4+n", "-1+2*n", "4+0.5*m", "1e3+0*n", "70000+0*n"}) {
            assertThrows(IllegalArgumentException.class, () -> SimulatedModel.parse(curve, null), curve);
        }
    }
}
