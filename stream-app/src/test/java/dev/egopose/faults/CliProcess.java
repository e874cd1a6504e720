package dev.egopose.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code egopose} command in its own JVM (the test's class path, a small heap, DJL offline),
 * stdout and stderr in a log file. Every wait is bounded and fails with the log's tail.
 */
final class CliProcess implements AutoCloseable {
    private static final int TAIL_LINES = 30;

    private final String label;
    private final Path log;
    private final Process process;

    private CliProcess(String label, Path log, Process process) {
        this.label = label;
        this.log = log;
        this.process = process;
    }

    /** Starts {@code egopose <args>}, logging to {@code log} (replaced if it exists). */
    static CliProcess start(String label, Path log, List<String> args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true",
                "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.egopose.schema",
                "-cp", System.getProperty("java.class.path"),
                "dev.egopose.cli.Main"));
        String djlCache = System.getProperty("DJL_CACHE_DIR");
        if (djlCache != null) {
            command.add(command.indexOf("-cp"), "-DDJL_CACHE_DIR=" + djlCache);
        }
        command.addAll(args);
        try {
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            return new CliProcess(label, log, process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + label + ": " + e.getMessage(), e);
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Waits until the log holds {@code text}; fails if the process exits first or the time runs out. */
    void awaitLog(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!logText().contains(text)) {
            if (!process.isAlive()) {
                throw new AssertionError(label + " exited with " + process.exitValue() + " before printing '" + text + "'" + tail());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(label + " did not print '" + text + "' within " + timeout.toSeconds() + " s" + tail());
            }
            Thread.sleep(100);
        }
    }

    /** The exit code, once the process has exited; fails if it is still running after {@code timeout}. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(label + " still running after " + timeout.toSeconds() + " s" + tail());
        }
        return process.exitValue();
    }

    /** SIGKILL, and waits until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError(label + " survived SIGKILL for 30 s");
        }
    }

    /** SIGTERM (a clean shutdown request); returns at once. */
    void terminate() {
        process.destroy();
    }

    /** The log's last lines, for assertion messages. */
    String tail() {
        List<String> lines = logText().lines().toList();
        return "\n--- last lines of " + log + " ---\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
    }

    private String logText() {
        try {
            return Files.readString(log, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }

    /** Kills the process if it still runs; never throws, so it can run in any cleanup. */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
