package dev.egopose.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class Svd3Test {
    private static double[][] multiply(double[][] a, double[][] b) {
        double[][] r = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 3; k++) {
                    r[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return r;
    }

    private static double[][] transpose(double[][] a) {
        double[][] r = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                r[i][j] = a[j][i];
            }
        }
        return r;
    }

    private static void assertOrthogonal(double[][] q, String name) {
        double[][] qtq = multiply(transpose(q), q);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(i == j ? 1.0 : 0.0, qtq[i][j], 1e-12, name + "^T " + name + " at " + i + "," + j);
            }
        }
    }

    /** Checks the defining properties of an SVD; nothing is compared with another SVD's output. */
    private static void assertDecomposes(double[][] m) {
        Svd3 svd = Svd3.of(m);
        double[] s = svd.s();
        assertTrue(s[0] >= s[1] && s[1] >= s[2] && s[2] >= 0, "singular values descending and non-negative");
        assertOrthogonal(svd.u(), "U");
        assertOrthogonal(svd.v(), "V");
        double[][] us = svd.u();
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                us[i][j] *= s[j];
            }
        }
        double[][] back = multiply(us, transpose(svd.v()));
        double scale = Math.max(1e-300, s[0]);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(m[i][j], back[i][j], 1e-13 * scale, "U S V^T reproduces M at " + i + "," + j);
            }
        }
    }

    @Test
    void decomposesRandomMatrices() {
        Random random = new Random(7);
        for (int n = 0; n < 500; n++) {
            double[][] m = new double[3][3];
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    m[i][j] = random.nextGaussian() * Math.pow(10, random.nextInt(5) - 2);
                }
            }
            assertDecomposes(m);
        }
    }

    @Test
    void decomposesRankDeficientAndSpecialMatrices() {
        Random random = new Random(11);
        for (int n = 0; n < 200; n++) {
            double[] a = {random.nextGaussian(), random.nextGaussian(), random.nextGaussian()};
            double[] b = {random.nextGaussian(), random.nextGaussian(), random.nextGaussian()};
            double[] c = {random.nextGaussian(), random.nextGaussian(), random.nextGaussian()};
            double[] d = {random.nextGaussian(), random.nextGaussian(), random.nextGaussian()};
            double[][] rank1 = new double[3][3];
            double[][] rank2 = new double[3][3];
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    rank1[i][j] = a[i] * b[j];
                    rank2[i][j] = a[i] * b[j] + c[i] * d[j];
                }
            }
            assertDecomposes(rank1);
            assertDecomposes(rank2);
            assertEquals(0.0, Svd3.of(rank2).s()[2], 1e-12 * Svd3.of(rank2).s()[0], "rank 2 has a zero singular value");
        }
        assertDecomposes(new double[3][3]);
        assertDecomposes(new double[][] {{0, -1, 0}, {1, 0, 0}, {0, 0, 1}}); // a rotation: all singular values 1
        assertDecomposes(new double[][] {{2, 0, 0}, {0, -5, 0}, {0, 0, 3}});
        assertDecomposes(new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 0}});
    }

    @Test
    void knownSingularValues() {
        // diag(2, -5, 3) has singular values 5, 3, 2.
        double[] s = Svd3.of(new double[][] {{2, 0, 0}, {0, -5, 0}, {0, 0, 3}}).s();
        assertEquals(5.0, s[0], 1e-15);
        assertEquals(3.0, s[1], 1e-15);
        assertEquals(2.0, s[2], 1e-15);
        // [[1, 1, 0], [0, 1, 1], [1, 0, 1]] = I + P (P a cyclic permutation): singular values 2, 1, 1.
        double[] t = Svd3.of(new double[][] {{1, 1, 0}, {0, 1, 1}, {1, 0, 1}}).s();
        assertEquals(2.0, t[0], 1e-14);
        assertEquals(1.0, t[1], 1e-14);
        assertEquals(1.0, t[2], 1e-14);
    }
}
