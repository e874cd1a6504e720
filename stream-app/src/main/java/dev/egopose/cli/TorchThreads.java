package dev.egopose.cli;

/**
 * libtorch's thread pools are sized once, when DJL's PyTorch engine starts; this sets the sizes
 * beforehand. Oversubscribed OpenMP threads spin and can make inference ten times slower on a
 * busy two-core machine, so commands offer it as an option.
 */
final class TorchThreads {
    private TorchThreads() {}

    static void set(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("torch threads must be at least 1, got " + threads);
        }
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }
}
