package dev.egopose.detect;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.lite.DataType;
import org.tensorflow.lite.Interpreter;
import org.tensorflow.lite.Tensor;

/**
 * A {@code .tflite} model run by the TFLite Java interpreter of DJL's TFLite engine 0.27.0 (only its
 * {@code org.tensorflow.lite} classes, unpacked at build time: the engine itself breaks next to DJL's
 * 0.35 API), with the XNNPACK delegate. The native library comes from the {@code tflite-native-cpu}
 * jar ({@link TfLiteNative}), offline. An interpreter is not thread-safe: calls are serialised.
 */
public final class TfLiteModel implements TensorModel {
    /** Larger files are refused before they are mapped: MediaPipe's hand models are 2-6 MB. */
    static final long MAX_FILE_BYTES = 64L << 20;

    private final Path file;
    private final Interpreter interpreter;
    private final int[] inputShape;
    private final ByteBuffer input;
    private final Map<Integer, Object> outputs = new HashMap<>();
    private final Map<String, Integer> outputIndex = new LinkedHashMap<>();

    private TfLiteModel(Path file, Interpreter interpreter) {
        this.file = file;
        this.interpreter = interpreter;
        Tensor in = interpreter.getInputTensor(0);
        if (interpreter.getInputTensorCount() != 1 || in.dataType() != DataType.FLOAT32) {
            interpreter.close();
            throw new DetectorException(file + ": expected one float32 input, got " + interpreter.getInputTensorCount()
                    + " inputs, the first " + in.dataType());
        }
        this.inputShape = in.shape();
        this.input = ByteBuffer.allocateDirect(in.numBytes()).order(ByteOrder.nativeOrder());
        for (int i = 0; i < interpreter.getOutputTensorCount(); i++) {
            Tensor out = interpreter.getOutputTensor(i);
            outputs.put(i, ByteBuffer.allocateDirect(out.numBytes()).order(ByteOrder.nativeOrder()));
            outputIndex.put(out.name(), i);
        }
    }

    /** Loads a model file with the given number of CPU threads. */
    public static TfLiteModel load(Path file, int threads) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new DetectorException("model file " + file + " does not exist (scripts/fetch-mediapipe.sh fetches MediaPipe's hand models)");
            }
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new DetectorException("model file " + file + " has " + size + " bytes, more than the " + MAX_FILE_BYTES + " allowed");
            }
        } catch (java.io.IOException e) {
            throw new DetectorException("cannot read model file " + file + ": " + e.getMessage(), e);
        }
        TfLiteNative.load();
        Interpreter.Options options = new Interpreter.Options().setNumThreads(threads).setUseXNNPACK(true);
        try {
            return new TfLiteModel(file, new Interpreter(file.toFile(), options));
        } catch (IllegalArgumentException e) {
            throw new DetectorException("model file " + file + " is not a TFLite model: " + e.getMessage(), e);
        }
    }

    @Override
    public int[] inputShape() {
        return inputShape.clone();
    }

    @Override
    public synchronized Map<String, float[]> run(float[] values) {
        if (values.length * Float.BYTES != input.capacity()) {
            throw new IllegalArgumentException(file.getFileName() + " takes " + input.capacity() / Float.BYTES + " input values, got " + values.length);
        }
        input.clear();
        input.asFloatBuffer().put(values);
        for (Object out : outputs.values()) {
            ((ByteBuffer) out).clear();
        }
        interpreter.runForMultipleInputsOutputs(new Object[] {input}, outputs);
        Map<String, float[]> result = new LinkedHashMap<>();
        outputIndex.forEach((name, i) -> {
            ByteBuffer buffer = (ByteBuffer) outputs.get(i);
            buffer.rewind();
            float[] v = new float[buffer.capacity() / Float.BYTES];
            buffer.asFloatBuffer().get(v);
            result.put(name, v);
        });
        return result;
    }

    @Override
    public synchronized void close() {
        interpreter.close();
    }
}
