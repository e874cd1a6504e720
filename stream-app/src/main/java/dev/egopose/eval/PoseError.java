package dev.egopose.eval;

/**
 * The two per-hand errors of the benchmark on matching joint rows ({@code [n][3]}, same units):
 * MPJPE, the mean Euclidean distance between predicted and true joints, and PA-MPJPE, the same after a
 * similarity Procrustes alignment (rotation, uniform scale, translation) of the prediction onto the truth.
 *
 * <p>The alignment follows the benchmark's {@code p_mpjpe}: centre both sets, scale each to unit Frobenius
 * norm, take the SVD {@code U S V^T} of {@code X0^T Y0} (truth rows X0, prediction rows Y0), rotate with
 * {@code R = V U^T}; if {@code det R < 0} (a reflection) negate V's last column and the smallest singular
 * value, so R is a proper rotation; scale {@code a = trace(S) |X0| / |Y0|}; aligned rows are
 * {@code a Y R + (mean X - a mean(Y) R)}. This is the least-squares optimum over rotations (Umeyama 1991).
 */
public final class PoseError {
    private PoseError() {}

    /** Mean per-joint position error. */
    public static double mpjpe(double[][] predicted, double[][] target) {
        check(predicted, target);
        double sum = 0;
        for (int i = 0; i < target.length; i++) {
            sum += distance(predicted[i], target[i]);
        }
        return sum / target.length;
    }

    /**
     * Mean per-joint position error after similarity alignment. NaN where the alignment is undefined
     * (either set has all its joints at one point), as in the benchmark's script.
     */
    public static double paMpjpe(double[][] predicted, double[][] target) {
        double[][] aligned = align(predicted, target);
        return aligned == null ? Double.NaN : mpjpe(aligned, target);
    }

    /** The prediction aligned onto the target; null where either set has no spread. */
    static double[][] align(double[][] predicted, double[][] target) {
        check(predicted, target);
        int n = target.length;
        double[] muX = mean(target);
        double[] muY = mean(predicted);
        double[][] x0 = new double[n][3];
        double[][] y0 = new double[n][3];
        double sx = 0;
        double sy = 0;
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < 3; d++) {
                x0[i][d] = target[i][d] - muX[d];
                y0[i][d] = predicted[i][d] - muY[d];
                sx += x0[i][d] * x0[i][d];
                sy += y0[i][d] * y0[i][d];
            }
        }
        double normX = Math.sqrt(sx);
        double normY = Math.sqrt(sy);
        if (!(normX > 0) || !(normY > 0)) {
            return null;
        }
        double[][] h = new double[3][3];
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) {
                    h[r][c] += (x0[i][r] / normX) * (y0[i][c] / normY);
                }
            }
        }
        Svd3 svd = Svd3.of(h);
        double[][] u = svd.u();
        double[][] v = svd.v();
        double[] s = svd.s();
        double[][] rotation = timesTranspose(v, u);
        if (det(rotation) < 0) {
            for (int i = 0; i < 3; i++) {
                v[i][2] = -v[i][2];
            }
            s[2] = -s[2];
            rotation = timesTranspose(v, u);
        }
        double scale = (s[0] + s[1] + s[2]) * normX / normY;
        double[] muYR = rowTimes(muY, rotation);
        double[] shift = new double[3];
        for (int d = 0; d < 3; d++) {
            shift[d] = muX[d] - scale * muYR[d];
        }
        double[][] aligned = new double[n][];
        for (int i = 0; i < n; i++) {
            double[] yr = rowTimes(predicted[i], rotation);
            aligned[i] = new double[] {scale * yr[0] + shift[0], scale * yr[1] + shift[1], scale * yr[2] + shift[2]};
        }
        return aligned;
    }

    private static void check(double[][] predicted, double[][] target) {
        if (predicted.length != target.length) {
            throw new IllegalArgumentException("prediction has " + predicted.length + " joints, target " + target.length);
        }
        if (target.length == 0) {
            throw new IllegalArgumentException("no joints to compare");
        }
        for (int i = 0; i < target.length; i++) {
            if (predicted[i].length != 3 || target[i].length != 3) {
                throw new IllegalArgumentException("joint " + i + " is not [x, y, z]");
            }
        }
    }

    private static double distance(double[] p, double[] q) {
        double dx = p[0] - q[0];
        double dy = p[1] - q[1];
        double dz = p[2] - q[2];
        return Math.sqrt(dx * dx + dy * dy + dz * dz);
    }

    private static double[] mean(double[][] rows) {
        double[] m = new double[3];
        for (double[] row : rows) {
            for (int d = 0; d < 3; d++) {
                m[d] += row[d];
            }
        }
        for (int d = 0; d < 3; d++) {
            m[d] /= rows.length;
        }
        return m;
    }

    /** {@code a b^T} for 3x3 matrices. */
    private static double[][] timesTranspose(double[][] a, double[][] b) {
        double[][] r = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                r[i][j] = a[i][0] * b[j][0] + a[i][1] * b[j][1] + a[i][2] * b[j][2];
            }
        }
        return r;
    }

    /** Row vector times matrix. */
    private static double[] rowTimes(double[] row, double[][] m) {
        return new double[] {
            row[0] * m[0][0] + row[1] * m[1][0] + row[2] * m[2][0],
            row[0] * m[0][1] + row[1] * m[1][1] + row[2] * m[2][1],
            row[0] * m[0][2] + row[1] * m[1][2] + row[2] * m[2][2]
        };
    }

    private static double det(double[][] m) {
        return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
                - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    }
}
