package dev.egopose.model;

import dev.egopose.domain.Joints3d;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for an accelerator: a batch of {@code n} crops takes {@code A + B*n} ms of waiting (no
 * CPU) and yields wrist-only poses. For benchmarks that show how batches fill and where the CPU
 * side caps throughput when the model itself is fast; never for real poses.
 */
public final class SimulatedModel implements HandPoseModel {
    private static final Pattern CURVE = Pattern.compile("\\s*([0-9]+(?:\\.[0-9]+)?)\\s*\\+\\s*([0-9]+(?:\\.[0-9]+)?)\\s*\\*\\s*n\\s*");

    private final ModelCard card;
    private final double fixedMs;
    private final double perCropMs;

    public SimulatedModel(ModelCard card, double fixedMs, double perCropMs) {
        if (!(fixedMs >= 0) || !(perCropMs >= 0) || fixedMs + perCropMs > 60_000) {
            throw new IllegalArgumentException("simulated model costs must be between 0 and 60000 ms, got " + fixedMs + "+" + perCropMs + "*n");
        }
        this.card = card;
        this.fixedMs = fixedMs;
        this.perCropMs = perCropMs;
    }

    /** Parses a cost curve written {@code A+B*n} (milliseconds, e.g. {@code 4+0.5*n}). */
    public static SimulatedModel parse(String curve, ModelCard card) {
        Matcher m = CURVE.matcher(curve);
        if (!m.matches()) {
            throw new IllegalArgumentException("simulated model must look like A+B*n in milliseconds (e.g. 4+0.5*n), got '" + curve + "'");
        }
        return new SimulatedModel(card, Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)));
    }

    /** Milliseconds one batch of {@code n} crops takes. */
    public double batchMs(int n) {
        return fixedMs + perCropMs * n;
    }

    @Override
    public ModelCard card() {
        return card;
    }

    @Override
    public List<Joints3d> predict(List<float[]> crops) {
        long until = System.nanoTime() + (long) (batchMs(crops.size()) * 1e6);
        for (long left = until - System.nanoTime(); left > 0; left = until - System.nanoTime()) {
            LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                throw new ModelException("simulated model interrupted");
            }
        }
        List<Joints3d> poses = new ArrayList<>(crops.size());
        for (int i = 0; i < crops.size(); i++) {
            poses.add(new Joints3d(new double[Joints3d.JOINTS * 3]));
        }
        return poses;
    }

    @Override
    public String toString() {
        return "simulated " + fixedMs + "+" + perCropMs + "*n ms";
    }

    @Override
    public void close() {
        // nothing held
    }
}
