package dev.egopose.detect;

import java.util.List;
import java.util.Map;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * MediaPipe Hands' two models on an upright RGB image ({@code CV_8UC3}): the palm detector on the
 * whole image letterboxed to 192x192, the landmark model on a rotated hand rect cut to 224x224.
 * Inputs are RGB in [0, 1]. Thread-safe as its models are; closes them.
 */
public final class HandDetector implements AutoCloseable {
    static final int LANDMARK_INPUT = 224;

    private final TensorModel palm;
    private final TensorModel landmark;
    private final PalmDecoder decoder = new PalmDecoder();

    public HandDetector(TensorModel palm, TensorModel landmark) {
        check(palm, PalmDecoder.INPUT, "palm detector");
        check(landmark, LANDMARK_INPUT, "landmark model");
        this.palm = palm;
        this.landmark = landmark;
    }

    /** Loads MediaPipe's full palm and landmark models. */
    public static HandDetector load(MediaPipeModels models, int threads) {
        TensorModel palm = TfLiteModel.load(models.palm(), threads);
        try {
            return new HandDetector(palm, TfLiteModel.load(models.landmark(), threads));
        } catch (RuntimeException e) {
            palm.close();
            throw e;
        }
    }

    private static void check(TensorModel model, int size, String what) {
        int[] shape = model.inputShape();
        if (shape.length != 4 || shape[0] != 1 || shape[1] != size || shape[2] != size || shape[3] != 3) {
            model.close();
            throw new DetectorException(what + " takes input " + java.util.Arrays.toString(shape) + ", expected [1, " + size + ", " + size + ", 3]");
        }
    }

    /** Palms in the image, best first, in image pixels. */
    public List<PalmDetection> palms(Mat rgb) {
        Letterbox letterbox = Letterbox.fit(rgb.cols(), rgb.rows(), PalmDecoder.INPUT);
        Mat input = Mat.zeros(PalmDecoder.INPUT, PalmDecoder.INPUT, CvType.CV_8UC3);
        Mat resized = new Mat();
        try {
            Imgproc.resize(rgb, resized, new Size(letterbox.scaledWidth(), letterbox.scaledHeight()), 0, 0, Imgproc.INTER_AREA);
            Mat target = input.submat(new Rect(letterbox.padX(), letterbox.padY(), letterbox.scaledWidth(), letterbox.scaledHeight()));
            resized.copyTo(target);
            target.release();
            Map<String, float[]> out = palm.run(floats(input));
            List<PalmDetection> palms = PalmDecoder.weightedNms(decoder.decode(output(out, PalmDecoder.ANCHORS * PalmDecoder.COORDS),
                    output(out, PalmDecoder.ANCHORS)));
            return palms.stream().map(letterbox::toImage).toList();
        } finally {
            input.release();
            resized.release();
        }
    }

    /** The landmark model on one hand rect. */
    public Landmarks landmarks(Mat rgb, HandRect rect) {
        // destination pixel (i, j) samples the image at centre + R * S * ((i, j) + 0.5 - 112), S = side / 224
        double cos = Math.cos(rect.rotation());
        double sin = Math.sin(rect.rotation());
        double sx = rect.width() / LANDMARK_INPUT;
        double sy = rect.height() / LANDMARK_INPUT;
        double a = cos * sx;
        double b = -sin * sy;
        double c = sin * sx;
        double d = cos * sy;
        double o = 0.5 - LANDMARK_INPUT / 2.0;
        Mat affine = new Mat(2, 3, CvType.CV_64F);
        affine.put(0, 0, a, b, rect.cx() - 0.5 + a * o + b * o, c, d, rect.cy() - 0.5 + c * o + d * o);
        Mat input = new Mat();
        try {
            Imgproc.warpAffine(rgb, input, affine, new Size(LANDMARK_INPUT, LANDMARK_INPUT),
                    Imgproc.INTER_LINEAR | Imgproc.WARP_INVERSE_MAP, Core.BORDER_REPLICATE);
            Map<String, float[]> out = landmark.run(floats(input));
            float[] raw = out.get("Identity");
            float[] presence = out.get("Identity_1");
            float[] handedness = out.get("Identity_2");
            if (raw == null || raw.length != 63 || presence == null || presence.length != 1 || handedness == null || handedness.length != 1) {
                throw new DetectorException("landmark model outputs " + out.keySet() + " are not MediaPipe's (Identity: 63 landmarks,"
                        + " Identity_1: presence, Identity_2: handedness)");
            }
            double[] xy = new double[42];
            for (int i = 0; i < 21; i++) {
                double[] p = rect.toImage(raw[3 * i] / LANDMARK_INPUT, raw[3 * i + 1] / LANDMARK_INPUT);
                xy[2 * i] = p[0];
                xy[2 * i + 1] = p[1];
            }
            return new Landmarks(xy, presence[0], handedness[0]);
        } finally {
            affine.release();
            input.release();
        }
    }

    private static float[] output(Map<String, float[]> outputs, int length) {
        return outputs.values().stream().filter(v -> v.length == length).findFirst()
                .orElseThrow(() -> new DetectorException("palm detector has no output of " + length + " values"));
    }

    private static float[] floats(Mat rgb) {
        byte[] bytes = new byte[(int) (rgb.total() * rgb.channels())];
        rgb.get(0, 0, bytes);
        float[] values = new float[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            values[i] = (bytes[i] & 0xff) / 255f;
        }
        return values;
    }

    @Override
    public void close() {
        palm.close();
        landmark.close();
    }
}
