package dev.egopose.model;

import dev.egopose.domain.Joints3d;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gathers the crops of concurrent callers (stream threads, headsets) into one model batch.
 *
 * <p>A batch closes when it holds {@code maxBatch} crops, when every possible caller has a request
 * in it (each caller waits for its result, so no more can come), or when its first request has
 * waited {@code maxDelay}. With a single stream thread a batch therefore never waits. Callers that
 * mark their work on a record ({@link #startWork}) narrow "every possible caller" to those working
 * right now: a batch then never waits for a stream thread that has nothing to do. Each caller
 * blocks until its own poses are back, so a stream thread returns
 * from {@code process()} (and Kafka Streams may commit the record) only once the record is fully
 * handled: no acknowledged record ever lives only in this batcher's memory.
 *
 * <p>Every model call runs on a thread of its own under a time limit: a call that stalls past it
 * fails its batch with a {@link ModelException} (the stalled thread is abandoned; once
 * {@value #MAX_STALLED} are stalled, calls fail at once until one returns). Callers decide what a
 * failure means: {@link #predictAlone} and {@link #probe} tell a frame the model cannot handle
 * from a model that cannot run at all.
 */
public final class Batcher implements AutoCloseable {
    /** The names of the threads that call the model start with this. */
    public static final String CALL_THREAD_PREFIX = "egopose-model-call-";

    private final HandPoseModel model;
    private final int maxBatch;
    private final long maxDelayNanos;
    private final int maxCallers;
    private final long callTimeoutNanos;
    private final ExecutorService calls;
    private final AtomicInteger stalled = new AtomicInteger();
    /** Callers between {@link #startWork} and the end of that work; 0 = nobody marks work, assume all are busy. */
    private final AtomicInteger working = new AtomicInteger();
    /** How often a waiting batch looks again at who is still working. */
    private static final long RECHECK_NANOS = 500_000;
    static final int MAX_STALLED = 4;
    private final BlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final Thread worker;
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong crops = new AtomicLong();
    private final AtomicLong queueWaitNanos = new AtomicLong();
    private volatile boolean closed;
    private volatile Listener listener = (batchCrops, modelNanos) -> { };

    private record Request(List<float[]> crops, long enqueuedNanos, CompletableFuture<List<Joints3d>> result) {}

    /** Counters since start: batches run, crops posed, mean crops per batch, mean wait before a batch ran. */
    public record Stats(long batches, long crops, double meanBatch, double meanQueueWaitMs) {
        /** What happened between {@code earlier} and these counters. */
        public Stats since(Stats earlier) {
            long b = batches - earlier.batches;
            long c = crops - earlier.crops;
            double waitMs = meanQueueWaitMs * batches - earlier.meanQueueWaitMs * earlier.batches;
            return new Stats(b, c, b == 0 ? 0 : (double) c / b, b == 0 ? 0 : waitMs / b);
        }
    }

    /** A caller's work on one record; closing it says the caller will send nothing more for that record. */
    public interface Work extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Marks the calling thread as working on a record (from its first stage to its last) until the
     * handle is closed; at most one request per work is expected.
     */
    public Work startWork() {
        working.incrementAndGet();
        return working::decrementAndGet;
    }

    /** Told about every batch the model ran; called on the batcher's thread, so it must be quick. */
    public interface Listener {
        void batchRan(int crops, long modelNanos);
    }

    /** Sets the listener (replacing the previous one). */
    public void listen(Listener newListener) {
        listener = java.util.Objects.requireNonNull(newListener, "listener");
    }

    /**
     * @param maxCallers  how many threads call {@link #predict} (the stream threads): once that many
     *                    requests are waiting, no other can arrive and the batch closes
     * @param callTimeout longest one model call may run before it counts as failed
     */
    public Batcher(HandPoseModel model, int maxBatch, Duration maxDelay, int maxCallers, Duration callTimeout) {
        if (maxCallers < 1) {
            throw new IllegalArgumentException("max callers must be at least 1, got " + maxCallers);
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("max batch must be at least 1, got " + maxBatch);
        }
        if (maxDelay.isNegative()) {
            throw new IllegalArgumentException("max delay must not be negative, got " + maxDelay);
        }
        if (callTimeout.isNegative() || callTimeout.isZero()) {
            throw new IllegalArgumentException("call timeout must be positive, got " + callTimeout);
        }
        this.model = model;
        this.maxBatch = maxBatch;
        this.maxDelayNanos = maxDelay.toNanos();
        this.maxCallers = maxCallers;
        this.callTimeoutNanos = callTimeout.toNanos();
        AtomicInteger threads = new AtomicInteger();
        this.calls = Executors.newCachedThreadPool(task -> {
            Thread t = new Thread(task, CALL_THREAD_PREFIX + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.worker = new Thread(this::run, "egopose-batcher-" + model.card().name());
        this.worker.setDaemon(true);
        this.worker.start();
    }

    /** The model's card. */
    public ModelCard card() {
        return model.card();
    }

    /** Poses for these crops, in order; waits for the batch they travel in. */
    public List<Joints3d> predict(List<float[]> requestCrops) {
        if (requestCrops.isEmpty()) {
            return List.of();
        }
        if (closed) {
            throw new IllegalStateException("batcher is closed");
        }
        Request request = new Request(List.copyOf(requestCrops), System.nanoTime(), new CompletableFuture<>());
        queue.add(request);
        if (closed && queue.remove(request)) {
            throw new IllegalStateException("batcher is closed");
        }
        try {
            return request.result().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelException("interrupted while waiting for poses", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new ModelException("model failed: " + e.getCause(), e.getCause());
        }
    }

    /** Poses for these crops from a model call of their own, outside any batch (same time limit). */
    public List<Joints3d> predictAlone(List<float[]> requestCrops) {
        if (closed) {
            throw new IllegalStateException("batcher is closed");
        }
        return timedCall(List.copyOf(requestCrops));
    }

    /** Whether the model poses one blank crop within the time limit: false means it cannot run at all. */
    public boolean probe() {
        if (closed) {
            return false;
        }
        try {
            return timedCall(List.of(new float[model.card().cropFloats()])).size() == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Runs the model on a thread of the call pool and waits at most the call timeout. */
    private List<Joints3d> timedCall(List<float[]> crops) {
        if (stalled.get() >= MAX_STALLED) {
            throw new ModelException(stalled.get() + " model calls are stalled past " + callTimeoutNanos / 1_000_000 + " ms");
        }
        Future<List<Joints3d>> call = calls.submit(() -> model.predict(crops));
        try {
            return call.get(callTimeoutNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            stalled.incrementAndGet();
            calls.execute(() -> awaitStalled(call));
            throw new ModelException("model call on " + crops.size() + " crops took longer than " + callTimeoutNanos / 1_000_000 + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelException("interrupted while waiting for the model", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new ModelException("model failed: " + cause, cause);
        }
    }

    /** Counts a stalled call as stalled until it finally returns (its result is thrown away). */
    private void awaitStalled(Future<List<Joints3d>> call) {
        try {
            call.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | RuntimeException e) {
            // the caller has long been told; nothing is waiting for this result
        } finally {
            stalled.decrementAndGet();
        }
    }

    public Stats stats() {
        long b = batches.get();
        long c = crops.get();
        return new Stats(b, c, b == 0 ? 0 : (double) c / b, b == 0 ? 0 : queueWaitNanos.get() / 1e6 / b);
    }

    private void run() {
        while (!closed) {
            List<Request> batch = new ArrayList<>();
            try {
                Request first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                int size = first.crops().size();
                long deadline = first.enqueuedNanos() + maxDelayNanos;
                while (size < maxBatch && batch.size() < expectedCallers()) {
                    long left = deadline - System.nanoTime();
                    Request next = left > 0 ? queue.poll(Math.min(left, RECHECK_NANOS), TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) {
                        if (left > 0) {
                            continue;
                        }
                        break;
                    }
                    batch.add(next);
                    size += next.crops().size();
                }
            } catch (InterruptedException e) {
                fail(batch, new ModelException("batcher stopped"));
                break;
            }
            runBatch(batch);
        }
        List<Request> left = new ArrayList<>();
        queue.drainTo(left);
        fail(left, new IllegalStateException("batcher is closed"));
    }

    /** How many requests a batch can still expect: every caller, or only those working now. */
    private int expectedCallers() {
        int now = working.get();
        return now == 0 ? maxCallers : Math.min(maxCallers, now);
    }

    private void runBatch(List<Request> batch) {
        List<float[]> all = new ArrayList<>();
        long now = System.nanoTime();
        for (Request r : batch) {
            all.addAll(r.crops());
            queueWaitNanos.addAndGet(now - r.enqueuedNanos());
        }
        List<Joints3d> poses;
        long modelStart = System.nanoTime();
        try {
            poses = timedCall(all);
        } catch (RuntimeException e) {
            fail(batch, e);
            return;
        }
        batches.incrementAndGet();
        crops.addAndGet(all.size());
        listener.batchRan(all.size(), System.nanoTime() - modelStart);
        int offset = 0;
        for (Request r : batch) {
            r.result().complete(List.copyOf(poses.subList(offset, offset + r.crops().size())));
            offset += r.crops().size();
        }
    }

    private static void fail(List<Request> requests, RuntimeException cause) {
        requests.forEach(r -> r.result().completeExceptionally(cause));
    }

    /** Stops the worker; callers still waiting get an exception. Does not close the model. */
    @Override
    public void close() {
        closed = true;
        worker.interrupt();
        try {
            worker.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        calls.shutdownNow();
    }
}
