package dev.egopose.model.djl;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import dev.egopose.domain.Joints3d;
import dev.egopose.model.HandPoseModel;
import dev.egopose.model.ModelCard;
import dev.egopose.model.ModelException;
import dev.egopose.model.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A POTTER TorchScript export run by DJL's PyTorch engine.
 *
 * <p>Batches are padded up to one of a fixed set of sizes (TorchScript re-optimises for every new
 * input shape, a multi-second stall), and each size is run once at load time. A DJL
 * {@link Predictor} is not thread-safe, so calls borrow one from a small pool and wait for a free
 * one when all are busy.
 */
public final class TorchScriptModel implements HandPoseModel {
    private final ModelCard card;
    private final ZooModel<NDList, NDList> model;
    private final BlockingQueue<Predictor<NDList, NDList>> predictors;
    private final List<Predictor<NDList, NDList>> allPredictors;
    private final int[] batchSizes;
    private final Device device;
    private final DataType inputType;

    private TorchScriptModel(ModelCard card, ZooModel<NDList, NDList> model, ModelOptions options, Device device) {
        this.card = card;
        this.model = model;
        this.device = device;
        this.inputType = ModelCard.FLOAT16.equals(card.inputDtype()) ? DataType.FLOAT16 : DataType.FLOAT32;
        this.batchSizes = options.batchSizes();
        this.predictors = new ArrayBlockingQueue<>(options.predictors());
        this.allPredictors = new ArrayList<>();
        for (int i = 0; i < options.predictors(); i++) {
            Predictor<NDList, NDList> p = model.newPredictor();
            allPredictors.add(p);
            predictors.add(p);
        }
    }

    /**
     * The card of a model folder, once the folder, its {@code model.json} and the TorchScript file the
     * card names are there (cheap: for commands to check a folder before they start other work).
     */
    public static ModelCard readCard(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ModelException("model folder " + dir + " does not exist (expected model.pt and model.json in it)");
        }
        Path cardFile = dir.resolve("model.json");
        if (!Files.isRegularFile(cardFile)) {
            throw new ModelException("model folder " + dir + " has no model.json (the card the exporter writes)");
        }
        ModelCard card = ModelCard.read(cardFile);
        if (!Files.isRegularFile(dir.resolve(card.modelFile()))) {
            throw new ModelException("model card " + cardFile + " names " + card.modelFile() + ", which is not in " + dir);
        }
        return card;
    }

    /**
     * Loads {@code dir/model.json} and the TorchScript file it names, checks that they belong together,
     * and warms up every batch size.
     */
    public static TorchScriptModel load(Path dir, ModelOptions options) {
        ModelCard card = readCard(dir);
        Path cardFile = dir.resolve("model.json");
        Path modelFile = dir.resolve(card.modelFile());
        String sha;
        try {
            sha = Sha256.of(modelFile);
        } catch (IOException e) {
            throw new ModelException("cannot read " + modelFile + ": " + e.getMessage(), e);
        }
        if (!sha.equals(card.modelSha256())) {
            throw new ModelException("model card " + cardFile + " does not match " + modelFile + ": the card's sha256 is "
                    + card.modelSha256() + ", the file's is " + sha + " (re-export, or copy the card that came with this file)");
        }
        Device device = resolveDevice(options.device());
        Criteria<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optEngine("PyTorch")
                .optModelPath(dir)
                .optModelName(stripExtension(card.modelFile()))
                .optDevice(device)
                .optTranslator(new NoopTranslator())
                .build();
        ZooModel<NDList, NDList> zoo;
        try {
            zoo = criteria.loadModel();
        } catch (ModelNotFoundException | MalformedModelException | IOException | RuntimeException e) {
            throw new ModelException("cannot load " + modelFile + " as TorchScript (corrupt, or not exported by export_potter.py?): "
                    + e.getMessage(), e);
        }
        TorchScriptModel loaded = new TorchScriptModel(card, zoo, options, device);
        try {
            loaded.warmUp();
        } catch (RuntimeException e) {
            loaded.close();
            throw e;
        }
        return loaded;
    }

    private static String stripExtension(String file) {
        int dot = file.lastIndexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }

    private static final Pattern DEVICE = Pattern.compile("cpu|gpu(?::(\\d{1,4}))?");

    /** {@code cpu}, {@code gpu} (the first GPU) or {@code gpu:N}; a GPU must be one the PyTorch engine sees. */
    private static Device resolveDevice(String name) {
        Matcher matcher = DEVICE.matcher(name);
        if (!matcher.matches()) {
            throw new ModelException("unknown device '" + name + "' (use cpu, gpu or gpu:N)");
        }
        if ("cpu".equals(name)) {
            return Device.cpu();
        }
        int id = matcher.group(1) == null ? 0 : Integer.parseInt(matcher.group(1));
        Engine engine = Engine.getEngine("PyTorch");
        int gpus = engine.getGpuCount();
        if (id >= gpus) {
            throw new ModelException("device " + name + " asked for, but the PyTorch engine (libtorch " + engine.getVersion() + ") sees "
                    + gpus + " GPUs. A libtorch 2.7.1 built for CUDA 12.8 is needed: PYTORCH_LIBRARY_PATH=<torch 2.7.1+cu128 wheel>/torch/lib "
                    + "PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=cu128 (now: PYTORCH_LIBRARY_PATH=" + System.getenv("PYTORCH_LIBRARY_PATH")
                    + ", PYTORCH_VERSION=" + System.getenv("PYTORCH_VERSION") + ", PYTORCH_FLAVOR=" + System.getenv("PYTORCH_FLAVOR")
                    + "), and an NVIDIA driver for CUDA 12.8 (R570 or later)");
        }
        return Device.gpu(id);
    }

    /** Runs every batch size once and checks the output shape against the card. */
    private void warmUp() {
        for (int size : batchSizes) {
            float[] out;
            try {
                out = forwardPadded(new float[size * card.cropFloats()], size);
            } catch (RuntimeException e) {
                throw new ModelException("model " + card.modelId() + " does not accept the card's input [" + size + ", 3, "
                        + card.inputSize() + ", " + card.inputSize() + "] " + card.inputDtype() + " on " + device + ": " + e.getMessage(), e);
            }
            if (out.length != size * Joints3d.JOINTS * 3) {
                throw new ModelException("model " + card.modelId() + " returned " + out.length + " values for a batch of " + size
                        + ", expected " + size + " x " + Joints3d.JOINTS + " x 3: the card does not match the model");
            }
        }
    }

    @Override
    public ModelCard card() {
        return card;
    }

    /** The device the model runs on. */
    public Device device() {
        return device;
    }

    /** The largest batch one forward pass takes; longer inputs are split. */
    public int maxBatch() {
        return batchSizes[batchSizes.length - 1];
    }

    @Override
    public List<Joints3d> predict(List<float[]> crops) {
        float[] normalised = forward(crops);
        List<Joints3d> poses = new ArrayList<>(crops.size());
        for (int i = 0; i < crops.size(); i++) {
            poses.add(card.toMetres(normalised, i * Joints3d.JOINTS * 3));
        }
        return poses;
    }

    /** The network's raw (normalised) output for the crops: {@code crops.size() x 21 x 3} floats. */
    public float[] forward(List<float[]> crops) {
        int floats = card.cropFloats();
        for (int i = 0; i < crops.size(); i++) {
            float[] crop = crops.get(i);
            if (crop == null || crop.length != floats) {
                throw new IllegalArgumentException("crop " + i + " has " + (crop == null ? "no" : crop.length) + " floats, expected 3 x "
                        + card.inputSize() + " x " + card.inputSize() + " = " + floats);
            }
        }
        int per = Joints3d.JOINTS * 3;
        float[] result = new float[crops.size() * per];
        for (int start = 0; start < crops.size(); start += maxBatch()) {
            int count = Math.min(maxBatch(), crops.size() - start);
            int padded = paddedSize(count);
            float[] input = new float[padded * floats];
            for (int i = 0; i < count; i++) {
                System.arraycopy(crops.get(start + i), 0, input, i * floats, floats);
            }
            float[] out = forwardPadded(input, padded);
            System.arraycopy(out, 0, result, start * per, count * per);
        }
        return result;
    }

    private int paddedSize(int count) {
        for (int size : batchSizes) {
            if (size >= count) {
                return size;
            }
        }
        throw new IllegalStateException("no batch size holds " + count);
    }

    private float[] forwardPadded(float[] input, int batch) {
        Predictor<NDList, NDList> predictor = borrow();
        try (NDManager manager = model.getNDManager().newSubManager(device)) {
            NDArray x = manager.create(input, new Shape(batch, 3, card.inputSize(), card.inputSize()));
            if (inputType != DataType.FLOAT32) {
                x = x.toType(inputType, false);
            }
            NDArray out = predictor.predict(new NDList(x)).singletonOrThrow();
            return (out.getDataType() == DataType.FLOAT32 ? out : out.toType(DataType.FLOAT32, false)).toFloatArray();
        } catch (TranslateException e) {
            throw new ModelException("forward pass of " + card.modelId() + " failed: " + e.getMessage(), e);
        } finally {
            predictors.add(predictor);
        }
    }

    private Predictor<NDList, NDList> borrow() {
        try {
            return predictors.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelException("interrupted while waiting for a free predictor", e);
        }
    }

    @Override
    public void close() {
        allPredictors.forEach(Predictor::close);
        model.close();
    }
}
