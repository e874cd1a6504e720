package dev.egopose.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egopose.model.BundledModel;
import dev.egopose.model.djl.ModelOptions;
import dev.egopose.model.djl.TorchScriptModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Crops per second of a TorchScript export for each batch size. */
@Command(
        name = "model",
        mixinStandardHelpOptions = true,
        description = {
            "Measure crops/s of a POTTER export for batch sizes 1, 2, 4, 8, 16 (each warmed up first).",
            "Prints a table, or with --json: {\"model\":..., \"device\":..., \"results\":[{\"batch\":N, \"crops_per_s\":X}, ...]}."
        })
final class BenchModelCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "DIR", description = "Folder with model.pt and model.json (default: the bundled tiny model).")
    Path modelDir;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--batches", split = ",", defaultValue = "1,2,4,8,16", paramLabel = "N,N,...",
            description = "Batch sizes to measure (default: ${DEFAULT-VALUE}).")
    int[] batches;

    @Option(names = "--seconds", defaultValue = "3", description = "Time spent per batch size, at least 2 passes (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--threads", paramLabel = "N",
            description = "libtorch intra-op threads (default: libtorch's own choice, one per core). On a busy machine 1 avoids spinning threads.")
    Integer threads;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (threads != null) {
            TorchThreads.set(threads);
        }
        Path dir = modelDir != null ? modelDir : BundledModel.extract();
        ModelOptions options = ModelOptions.defaults().withDevice(device).withBatchSizes(batches);
        try (TorchScriptModel model = TorchScriptModel.load(dir, options)) {
            ObjectNode report = new ObjectMapper().createObjectNode();
            report.put("model", model.card().modelId());
            report.put("device", model.device().toString());
            report.put("macs_per_crop", model.card().macsPerCrop());
            report.put("cores", Runtime.getRuntime().availableProcessors());
            report.put("torch_threads", threads == null ? "default" : threads.toString());
            ArrayNode results = report.putArray("results");
            if (!json) {
                System.out.printf("model %s on %s (%d cores, torch threads %s)%n%6s %12s %12s%n",
                        model.card().modelId(), model.device(), Runtime.getRuntime().availableProcessors(),
                        threads == null ? "default" : threads,
                        "batch", "crops/s", "ms/batch");
            }
            for (int batch : options.batchSizes()) {
                List<float[]> crops = randomCrops(batch, model.card().cropFloats());
                int passes = 0;
                long start = System.nanoTime();
                do {
                    model.forward(crops);
                    passes++;
                } while (passes < 2 || System.nanoTime() - start < seconds * 1e9);
                double elapsed = (System.nanoTime() - start) / 1e9;
                double cropsPerS = passes * batch / elapsed;
                results.addObject().put("batch", batch).put("crops_per_s", round(cropsPerS)).put("ms_per_batch", round(1000 * elapsed / passes));
                if (!json) {
                    System.out.printf("%6d %12.2f %12.1f%n", batch, cropsPerS, 1000 * elapsed / passes);
                }
            }
            if (json) {
                System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(report));
            }
        }
        return 0;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static List<float[]> randomCrops(int count, int floats) {
        Random random = new Random(42);
        List<float[]> crops = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            float[] crop = new float[floats];
            for (int j = 0; j < floats; j++) {
                crop[j] = (float) random.nextGaussian();
            }
            crops.add(crop);
        }
        return crops;
    }
}
