package dev.egopose.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egopose.model.BundledModel;
import dev.egopose.model.djl.ModelOptions;
import dev.egopose.model.djl.TorchScriptModel;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Crops per second of one or more TorchScript exports for each batch size, measured in alternation. */
@Command(
        name = "model",
        mixinStandardHelpOptions = true,
        description = {
            "Measure crops/s of POTTER exports for batch sizes 1, 2, 4, 8, 16 (each warmed up first).",
            "With several --model folders (e.g. the same weights exported with and without the rewrite) and --rounds,",
            "the models take turns batch by batch, so a busy machine slows them alike; each figure is the median of the rounds.",
            "cpu_ms_per_crop is the process's CPU time per crop: on a shared machine it moves less than crops/s.",
            "Prints a table, or with --json: {\"model\":..., \"device\":..., \"results\":[{\"batch\":N, \"crops_per_s\":X, \"cpu_ms_per_crop\":Y}, ...],",
            "\"models\":[{\"model\":..., \"dir\":..., \"results\":[...]}, ...]} (top-level model and results: the first model)."
        })
final class BenchModelCommand implements Callable<Integer> {
    private static final com.sun.management.OperatingSystemMXBean CPU =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    @Option(names = "--model", paramLabel = "DIR",
            description = "Folder with model.pt and model.json; repeat to compare exports (default: the bundled tiny model).")
    List<Path> modelDirs;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--batches", split = ",", defaultValue = "1,2,4,8,16", paramLabel = "N,N,...",
            description = "Batch sizes to measure (default: ${DEFAULT-VALUE}).")
    int[] batches;

    @Option(names = "--seconds", defaultValue = "3", description = "Time spent per batch size and round, at least 2 passes (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--rounds", defaultValue = "1", description = "Measurements per model and batch size, taken in turn (default: ${DEFAULT-VALUE}).")
    int rounds;

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
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be at least 1, got " + rounds);
        }
        List<Path> dirs = modelDirs != null ? modelDirs : List.of(BundledModel.extract());
        ModelOptions options = ModelOptions.defaults().withDevice(device).withBatchSizes(batches);
        List<TorchScriptModel> models = new ArrayList<>();
        try {
            for (Path dir : dirs) {
                models.add(TorchScriptModel.load(dir, options));
            }
            int[] sizes = options.batchSizes();
            double[][][] cropsPerS = new double[models.size()][sizes.length][rounds];
            double[][][] cpuMsPerCrop = new double[models.size()][sizes.length][rounds];
            for (int b = 0; b < sizes.length; b++) {
                List<float[]> crops = randomCrops(sizes[b], models.get(0).card().cropFloats());
                for (TorchScriptModel model : models) {
                    model.forward(crops); // untimed: libtorch's profiling executor settles on this shape
                }
                for (int r = 0; r < rounds; r++) {
                    for (int m = 0; m < models.size(); m++) {
                        double[] measured = measure(models.get(m), crops);
                        cropsPerS[m][b][r] = measured[0];
                        cpuMsPerCrop[m][b][r] = measured[1];
                    }
                }
            }
            report(dirs, models, sizes, cropsPerS, cpuMsPerCrop);
        } finally {
            models.forEach(TorchScriptModel::close);
        }
        return 0;
    }

    /** {crops per second, CPU milliseconds of the whole process per crop}. */
    private double[] measure(TorchScriptModel model, List<float[]> crops) {
        int passes = 0;
        long cpuStart = CPU.getProcessCpuTime();
        long start = System.nanoTime();
        do {
            model.forward(crops);
            passes++;
        } while (passes < 2 || System.nanoTime() - start < seconds * 1e9);
        double elapsed = (System.nanoTime() - start) / 1e9;
        double cpuMs = (CPU.getProcessCpuTime() - cpuStart) / 1e6;
        return new double[] {passes * crops.size() / elapsed, cpuMs / (passes * crops.size())};
    }

    private void report(List<Path> dirs, List<TorchScriptModel> models, int[] sizes, double[][][] cropsPerS, double[][][] cpuMsPerCrop)
            throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode report = mapper.createObjectNode();
        report.put("model", models.get(0).card().modelId());
        report.put("device", models.get(0).device().toString());
        report.put("macs_per_crop", models.get(0).card().macsPerCrop());
        report.put("cores", Runtime.getRuntime().availableProcessors());
        report.put("torch_threads", threads == null ? "default" : threads.toString());
        report.put("rounds", rounds);
        ArrayNode all = report.putArray("models");
        for (int m = 0; m < models.size(); m++) {
            ObjectNode entry = all.addObject();
            entry.put("model", models.get(m).card().modelId());
            entry.put("dir", dirs.get(m).toString());
            entry.put("macs_per_crop", models.get(m).card().macsPerCrop());
            ArrayNode results = entry.putArray("results");
            for (int b = 0; b < sizes.length; b++) {
                double median = median(cropsPerS[m][b]);
                results.addObject().put("batch", sizes[b]).put("crops_per_s", round(median)).put("ms_per_batch", round(1000 * sizes[b] / median))
                        .put("cpu_ms_per_crop", round(median(cpuMsPerCrop[m][b])));
            }
            if (m == 0) {
                report.set("results", results);
            }
        }
        if (json) {
            System.out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(report));
            return;
        }
        System.out.printf("%s, %d cores, torch threads %s, median of %d round(s)%n", models.get(0).device(),
                Runtime.getRuntime().availableProcessors(), threads == null ? "default" : threads, rounds);
        for (int m = 0; m < models.size(); m++) {
            System.out.printf("model %s (%s)%n%6s %12s %12s %16s%n", models.get(m).card().modelId(), dirs.get(m),
                    "batch", "crops/s", "ms/batch", "cpu ms/crop");
            for (int b = 0; b < sizes.length; b++) {
                double median = median(cropsPerS[m][b]);
                System.out.printf("%6d %12.2f %12.1f %16.1f%n", sizes[b], median, 1000 * sizes[b] / median, median(cpuMsPerCrop[m][b]));
            }
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
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
