package dev.egopose.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PoseErrorTest {
    private static final double TOL = 1e-6; // mm

    /**
     * Six points on the axes, centred at the origin: covariance diag(18, 8, 2), total 28, so the
     * smallest principal variance share is c3 = 2/28 = 1/14.
     */
    private static final double[][] AXES = {{3, 0, 0}, {-3, 0, 0}, {0, 2, 0}, {0, -2, 0}, {0, 0, 1}, {0, 0, -1}};

    private static double[][] map(double[][] points, double[][] m, double scale, double[] shift) {
        double[][] out = new double[points.length][3];
        for (int i = 0; i < points.length; i++) {
            for (int c = 0; c < 3; c++) {
                double v = 0;
                for (int k = 0; k < 3; k++) {
                    v += m[c][k] * points[i][k];
                }
                out[i][c] = scale * v + shift[c];
            }
        }
        return out;
    }

    /** Rotation by {@code angle} about the unit axis (Rodrigues). */
    private static double[][] rotation(double[] axis, double angle) {
        double n = Math.sqrt(axis[0] * axis[0] + axis[1] * axis[1] + axis[2] * axis[2]);
        double x = axis[0] / n;
        double y = axis[1] / n;
        double z = axis[2] / n;
        double c = Math.cos(angle);
        double s = Math.sin(angle);
        double t = 1 - c;
        return new double[][] {
            {t * x * x + c, t * x * y - s * z, t * x * z + s * y},
            {t * x * y + s * z, t * y * y + c, t * y * z - s * x},
            {t * x * z - s * y, t * y * z + s * x, t * z * z + c}
        };
    }

    private static double[][] randomPoints(Random random, int n) {
        double[][] p = new double[n][3];
        for (int i = 0; i < n; i++) {
            p[i] = new double[] {random.nextGaussian() * 40, random.nextGaussian() * 30, 400 + random.nextGaussian() * 20};
        }
        return p;
    }

    @Test
    void mpjpeIsTheMeanDistance() {
        double[][] gt = {{0, 0, 0}, {10, 0, 0}, {0, 10, 0}};
        double[][] pred = {{1, 0, 0}, {10, 2, 0}, {0, 10, -3}}; // distances 1, 2, 3
        assertEquals(2.0, PoseError.mpjpe(pred, gt), 1e-15);
        double[][] shifted = map(gt, rotation(new double[] {0, 0, 1}, 0), 1, new double[] {3, 4, 0}); // every joint 5 away
        assertEquals(5.0, PoseError.mpjpe(shifted, gt), 1e-12);
    }

    @Test
    void paMpjpeIsZeroForARotatedScaledTranslatedCopy() {
        Random random = new Random(3);
        for (int n = 0; n < 50; n++) {
            double[][] gt = randomPoints(random, 21);
            double[] axis = {random.nextGaussian(), random.nextGaussian(), random.nextGaussian()};
            double[][] pred = map(gt, rotation(axis, random.nextDouble() * 2 * Math.PI), 0.3 + 2 * random.nextDouble(),
                    new double[] {random.nextGaussian() * 100, random.nextGaussian() * 100, random.nextGaussian() * 100});
            assertTrue(PoseError.mpjpe(pred, gt) > 1, "the copy is really moved");
            assertEquals(0.0, PoseError.paMpjpe(pred, gt), TOL);
        }
    }

    @Test
    void mirroredPredictionGivesTheHandDerivedValue() {
        // pred = gt mirrored through z = 0. X0^T Y0 = diag(18, 8, -2)/28: its SVD's R = V U^T is diag(1, 1, -1),
        // an improper rotation; the fix flips the smallest direction, so R = I and trace = (18 + 8 - 2)/28 = 6/7,
        // scale a = 6/7 (both sets have the same norm). Residuals a*p - p: (a-1)*3 for the x points, (a-1)*2 for
        // the y points, (a+1)*1 for the z points: mean (2*3/7 + 2*2/7 + 2*13/7)/6 = 6/7.
        double[][] mirrorZ = {{1, 0, 0}, {0, 1, 0}, {0, 0, -1}};
        assertEquals(6.0 / 7.0, PoseError.paMpjpe(map(AXES, mirrorZ, 1, new double[3]), AXES), TOL);
        // Mirroring through x = 0 is the same reflection up to a rotation (by pi about y), and PA-MPJPE does not
        // see scale or translation: again 6/7. An implementation that flips the wrong singular direction fails here.
        double[][] mirrorX = {{-1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        assertEquals(6.0 / 7.0, PoseError.paMpjpe(map(AXES, mirrorX, 2.5, new double[] {10, -20, 300}), AXES), TOL);
        // Without the fix, the reflection itself would align the mirror image perfectly.
        assertTrue(PoseError.paMpjpe(map(AXES, mirrorZ, 1, new double[3]), AXES) > 0.5);
    }

    @Test
    void flattenedPredictionGivesTheHandDerivedValue() {
        // pred = gt with z squashed to 0 (then scaled by 3 and moved). X0^T Y0 is diag(18, 8, 0)/(sqrt(28) sqrt(26))
        // up to the scale: rank 2, R = I, trace = 26/sqrt(28*26), a = trace * sqrt(28)/sqrt(26) = 1 (undoing the 3):
        // residuals 0 for the x and y points, 1 for the z points: mean 2/6 = 1/3.
        double[][] squash = {{1, 0, 0}, {0, 1, 0}, {0, 0, 0}};
        assertEquals(1.0 / 3.0, PoseError.paMpjpe(map(AXES, squash, 3, new double[] {5, 5, 5}), AXES), TOL);
    }

    @Test
    void paMpjpeIsNeverAboveTheErrorOfAnyRotationScaleAndShiftItCouldHaveUsed() {
        Random random = new Random(5);
        for (int n = 0; n < 50; n++) {
            double[][] gt = randomPoints(random, 15);
            double[][] pred = randomPoints(random, 15);
            double pa = PoseError.paMpjpe(pred, gt);
            // The identity alignment after matching centroids is one candidate; PA-MPJPE minimises the squared
            // error, so it is bounded by the RMS of that candidate.
            double[] cg = new double[3];
            double[] cp = new double[3];
            for (int i = 0; i < 15; i++) {
                for (int d = 0; d < 3; d++) {
                    cg[d] += gt[i][d] / 15;
                    cp[d] += pred[i][d] / 15;
                }
            }
            double sq = 0;
            for (int i = 0; i < 15; i++) {
                for (int d = 0; d < 3; d++) {
                    double e = pred[i][d] - cp[d] + cg[d] - gt[i][d];
                    sq += e * e;
                }
            }
            assertTrue(pa <= Math.sqrt(sq / 15) + 1e-9, "PA-MPJPE " + pa + " above a feasible alignment's RMS");
        }
    }

    @Test
    void undefinedAlignmentIsNaNAndBadShapesAreRefused() {
        double[][] gt = {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}};
        double[][] point = {{2, 2, 2}, {2, 2, 2}, {2, 2, 2}};
        assertTrue(Double.isNaN(PoseError.paMpjpe(point, gt)));
        assertTrue(Double.isNaN(PoseError.paMpjpe(gt, point)));
        assertThrows(IllegalArgumentException.class, () -> PoseError.mpjpe(new double[2][3], new double[3][3]));
        assertThrows(IllegalArgumentException.class, () -> PoseError.mpjpe(new double[0][3], new double[0][3]));
    }
}
