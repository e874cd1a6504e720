package dev.egopose.eval;

/**
 * Singular value decomposition {@code M = U diag(s) V^T} of a 3x3 matrix, singular values in descending
 * order, U and V orthogonal. Computed by one-sided (Hestenes) Jacobi: plane rotations applied to the
 * columns of M (and accumulated into V) until all column pairs are orthogonal; the column norms are then
 * the singular values and the normalised columns the left singular vectors. This keeps full relative
 * accuracy for small singular values (no forming of M^T M). Where M is rank-deficient, the missing columns
 * of U are completed to an orthonormal basis (U's last column as the cross product of the first two, signed
 * to agree with M), which is all the Procrustes alignment needs.
 */
final class Svd3 {
    private static final int MAX_SWEEPS = 64;
    private static final double EPS = 0x1p-52;

    private final double[][] u;
    private final double[] s;
    private final double[][] v;

    private Svd3(double[][] u, double[] s, double[][] v) {
        this.u = u;
        this.s = s;
        this.v = v;
    }

    /** Decomposes a 3x3 matrix given as rows ({@code m[row][col]}). */
    static Svd3 of(double[][] m) {
        double[][] a = new double[3][3];
        for (int i = 0; i < 3; i++) {
            if (m[i].length != 3) {
                throw new IllegalArgumentException("expected a 3x3 matrix");
            }
            for (int j = 0; j < 3; j++) {
                if (!Double.isFinite(m[i][j])) {
                    throw new IllegalArgumentException("matrix has a non-finite entry at (" + i + "," + j + ")");
                }
                a[i][j] = m[i][j];
            }
        }
        double[][] v = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        int[][] pairs = {{0, 1}, {0, 2}, {1, 2}};
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            boolean rotated = false;
            for (int[] pair : pairs) {
                int p = pair[0];
                int q = pair[1];
                double alpha = 0;
                double beta = 0;
                double gamma = 0;
                for (int i = 0; i < 3; i++) {
                    alpha += a[i][p] * a[i][p];
                    beta += a[i][q] * a[i][q];
                    gamma += a[i][p] * a[i][q];
                }
                if (gamma == 0 || Math.abs(gamma) <= EPS * Math.sqrt(alpha) * Math.sqrt(beta)) {
                    continue;
                }
                rotated = true;
                // Rotation angle that makes columns p and q orthogonal: tan is the smaller root of
                // t^2 + 2 zeta t - 1 = 0 with zeta = (beta - alpha) / (2 gamma).
                double zeta = (beta - alpha) / (2 * gamma);
                double t = (zeta >= 0 ? 1.0 : -1.0) / (Math.abs(zeta) + Math.hypot(1.0, zeta));
                double c = 1.0 / Math.hypot(1.0, t);
                double sn = c * t;
                rotateColumns(a, p, q, c, sn);
                rotateColumns(v, p, q, c, sn);
            }
            if (!rotated) {
                break;
            }
        }
        double[] sigma = new double[3];
        for (int j = 0; j < 3; j++) {
            sigma[j] = Math.sqrt(a[0][j] * a[0][j] + a[1][j] * a[1][j] + a[2][j] * a[2][j]);
        }
        // Sort columns by descending singular value.
        int[] order = {0, 1, 2};
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2 - i; j++) {
                if (sigma[order[j]] < sigma[order[j + 1]]) {
                    int tmp = order[j];
                    order[j] = order[j + 1];
                    order[j + 1] = tmp;
                }
            }
        }
        double[] s = new double[3];
        double[][] aSorted = new double[3][3];
        double[][] vSorted = new double[3][3];
        for (int k = 0; k < 3; k++) {
            s[k] = sigma[order[k]];
            for (int i = 0; i < 3; i++) {
                aSorted[i][k] = a[i][order[k]];
                vSorted[i][k] = v[i][order[k]];
            }
        }
        return new Svd3(leftVectors(aSorted, s), s, vSorted);
    }

    /** U from the orthogonalised columns A V = U diag(s), completed to an orthonormal basis where s is (nearly) zero. */
    private static double[][] leftVectors(double[][] a, double[] s) {
        double tiny = s[0] * 1e-13;
        double[] u0;
        if (s[0] == 0) {
            u0 = new double[] {1, 0, 0};
        } else {
            u0 = column(a, 0, s[0]);
        }
        double[] u1;
        if (s[1] > tiny && s[1] > 0) {
            u1 = column(a, 1, s[1]);
            // Re-orthogonalise against u0 to remove rounding drift.
            double d = dot(u0, u1);
            for (int i = 0; i < 3; i++) {
                u1[i] -= d * u0[i];
            }
            normalise(u1);
        } else {
            u1 = anyOrthogonal(u0);
        }
        double[] u2 = cross(u0, u1);
        if (s[2] > tiny && s[2] > 0) {
            double[] a2 = {a[0][2], a[1][2], a[2][2]};
            if (dot(u2, a2) < 0) {
                for (int i = 0; i < 3; i++) {
                    u2[i] = -u2[i];
                }
            }
        }
        double[][] u = new double[3][3];
        for (int i = 0; i < 3; i++) {
            u[i][0] = u0[i];
            u[i][1] = u1[i];
            u[i][2] = u2[i];
        }
        return u;
    }

    private static void rotateColumns(double[][] m, int p, int q, double c, double s) {
        for (int i = 0; i < 3; i++) {
            double mp = m[i][p];
            double mq = m[i][q];
            m[i][p] = c * mp - s * mq;
            m[i][q] = s * mp + c * mq;
        }
    }

    private static double[] column(double[][] a, int k, double norm) {
        return new double[] {a[0][k] / norm, a[1][k] / norm, a[2][k] / norm};
    }

    private static double[] anyOrthogonal(double[] w) {
        // Cross with the axis least aligned with w.
        double ax = Math.abs(w[0]);
        double ay = Math.abs(w[1]);
        double az = Math.abs(w[2]);
        double[] axis = ax <= ay && ax <= az ? new double[] {1, 0, 0} : ay <= az ? new double[] {0, 1, 0} : new double[] {0, 0, 1};
        double[] r = cross(w, axis);
        normalise(r);
        return r;
    }

    private static double dot(double[] x, double[] y) {
        return x[0] * y[0] + x[1] * y[1] + x[2] * y[2];
    }

    private static double[] cross(double[] x, double[] y) {
        return new double[] {x[1] * y[2] - x[2] * y[1], x[2] * y[0] - x[0] * y[2], x[0] * y[1] - x[1] * y[0]};
    }

    private static void normalise(double[] x) {
        double n = Math.sqrt(dot(x, x));
        for (int i = 0; i < 3; i++) {
            x[i] /= n;
        }
    }

    /** Left singular vectors as columns, {@code u[row][col]}. */
    double[][] u() {
        return copy(u);
    }

    /** Singular values, descending, all >= 0. */
    double[] s() {
        return s.clone();
    }

    /** Right singular vectors as columns, {@code v[row][col]}. */
    double[][] v() {
        return copy(v);
    }

    private static double[][] copy(double[][] m) {
        return new double[][] {m[0].clone(), m[1].clone(), m[2].clone()};
    }
}
