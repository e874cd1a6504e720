package dev.egopose.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Groups the benchmarks; each prints numbers (and JSON with {@code --json}). */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Measure throughput of the model, the preprocessing, the whole pipeline and the hand detector, and the live path's latency.",
        subcommands = {BenchModelCommand.class, BenchPreprocessCommand.class, BenchPipelineCommand.class, BenchLiveCommand.class,
            BenchDetectorCommand.class})
final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
