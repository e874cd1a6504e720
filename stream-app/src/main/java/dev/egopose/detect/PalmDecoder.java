package dev.egopose.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Turns the palm detector's raw outputs into palms, with the numbers of MediaPipe's
 * {@code palm_detection_cpu.pbtxt}: SSD anchors for a 192x192 input (strides 8, 16, 16, 16, two
 * anchors per cell and layer, layers of one stride merged: 2016; centres offset by half a cell, fixed
 * size 1), regressors {@code [x, y, w, h, 7 x (x, y)]} divided by 192 and added to the anchor centre,
 * score = sigmoid(raw clipped to +-100) kept from 0.5, then weighted non-maximum suppression (IoU
 * above 0.3 merges; score-weighted mean of boxes and keypoints; the top score stays). Coordinates are
 * normalised to the (letterboxed) input.
 */
public final class PalmDecoder {
    public static final int INPUT = 192;
    public static final int ANCHORS = 2016;
    public static final int COORDS = 18;
    static final int[] STRIDES = {8, 16, 16, 16};
    static final double SCORE_CLIP = 100;
    static final double MIN_SCORE = 0.5;
    static final double NMS_IOU = 0.3;

    private final double[] anchors = anchors();

    /** Anchor centres as {@code x0, y0, x1, y1, ...} in the order of the model's outputs. */
    static double[] anchors() {
        List<double[]> centres = new ArrayList<>();
        int layer = 0;
        while (layer < STRIDES.length) {
            int perCell = 0;
            int last = layer;
            while (last < STRIDES.length && STRIDES[last] == STRIDES[layer]) {
                perCell += 2; // aspect ratio 1 and the interpolated scale between this layer and the next
                last++;
            }
            int cells = (int) Math.ceil((double) INPUT / STRIDES[layer]);
            for (int y = 0; y < cells; y++) {
                for (int x = 0; x < cells; x++) {
                    for (int a = 0; a < perCell; a++) {
                        centres.add(new double[] {(x + 0.5) / cells, (y + 0.5) / cells});
                    }
                }
            }
            layer = last;
        }
        double[] flat = new double[2 * centres.size()];
        for (int i = 0; i < centres.size(); i++) {
            flat[2 * i] = centres.get(i)[0];
            flat[2 * i + 1] = centres.get(i)[1];
        }
        return flat;
    }

    /** Palms with a score of at least 0.5, in anchor order, before suppression. */
    public List<PalmDetection> decode(float[] regressors, float[] scores) {
        if (regressors.length != ANCHORS * COORDS || scores.length != ANCHORS) {
            throw new DetectorException("palm detector outputs have " + regressors.length + " regressors and " + scores.length
                    + " scores, expected " + ANCHORS * COORDS + " and " + ANCHORS);
        }
        List<PalmDetection> palms = new ArrayList<>();
        for (int i = 0; i < ANCHORS; i++) {
            double raw = Math.max(-SCORE_CLIP, Math.min(SCORE_CLIP, scores[i]));
            double score = 1 / (1 + Math.exp(-raw));
            if (!(score >= MIN_SCORE)) {
                continue;
            }
            int o = i * COORDS;
            double ax = anchors[2 * i];
            double ay = anchors[2 * i + 1];
            double cx = regressors[o] / INPUT + ax;
            double cy = regressors[o + 1] / INPUT + ay;
            double w = regressors[o + 2] / INPUT;
            double h = regressors[o + 3] / INPUT;
            if (!(w > 0 && h > 0)) {
                continue;
            }
            double[] keypoints = new double[2 * PalmDetection.KEYPOINTS];
            for (int k = 0; k < PalmDetection.KEYPOINTS; k++) {
                keypoints[2 * k] = regressors[o + 4 + 2 * k] / INPUT + ax;
                keypoints[2 * k + 1] = regressors[o + 5 + 2 * k] / INPUT + ay;
            }
            palms.add(new PalmDetection(score, new double[] {cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2}, keypoints));
        }
        return palms;
    }

    /** Weighted non-maximum suppression, best first. */
    public static List<PalmDetection> weightedNms(List<PalmDetection> palms) {
        List<PalmDetection> remaining = new ArrayList<>(palms);
        remaining.sort(Comparator.comparingDouble(PalmDetection::score).reversed());
        List<PalmDetection> kept = new ArrayList<>();
        while (!remaining.isEmpty()) {
            PalmDetection top = remaining.get(0);
            List<PalmDetection> rest = new ArrayList<>();
            double total = 0;
            double[] box = new double[4];
            double[] keypoints = new double[2 * PalmDetection.KEYPOINTS];
            for (PalmDetection p : remaining) {
                if (p.iou(top) > NMS_IOU) {
                    total += p.score();
                    for (int i = 0; i < 4; i++) {
                        box[i] += p.score() * p.box()[i];
                    }
                    for (int i = 0; i < keypoints.length; i++) {
                        keypoints[i] += p.score() * p.keypoints()[i];
                    }
                } else {
                    rest.add(p);
                }
            }
            for (int i = 0; i < 4; i++) {
                box[i] /= total;
            }
            for (int i = 0; i < keypoints.length; i++) {
                keypoints[i] /= total;
            }
            kept.add(new PalmDetection(top.score(), box, keypoints));
            remaining = rest;
        }
        return kept;
    }
}
