package dev.egopose.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egopose.domain.Joints3d;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatcherTest {
    @TempDir
    Path tmp;

    /** Returns, for each crop, a pose whose joint 1 x is the crop's first value; records batch sizes. */
    private final class EchoModel implements HandPoseModel {
        final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
        volatile RuntimeException failNext;
        volatile CountDownLatch gate;

        @Override
        public ModelCard card() {
            return ModelCard.read(BundledModel.extractTo(tmp).resolve("model.json"));
        }

        @Override
        public List<Joints3d> predict(List<float[]> crops) {
            if (gate != null) {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            RuntimeException failure = failNext;
            if (failure != null) {
                failNext = null;
                throw failure;
            }
            batchSizes.add(crops.size());
            List<Joints3d> out = new ArrayList<>();
            for (float[] crop : crops) {
                double[] xyz = new double[63];
                xyz[3] = crop[0];
                out.add(new Joints3d(xyz));
            }
            return out;
        }

        @Override
        public void close() {}
    }

    private static float[] crop(float value) {
        return new float[] {value};
    }

    @Test
    void everyCallerGetsItsOwnPosesFromSharedBatches() throws Exception {
        EchoModel model = new EchoModel();
        int callers = 8;
        CyclicBarrier start = new CyclicBarrier(callers);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try (Batcher batcher = new Batcher(model, 16, Duration.ofMillis(500), 8, Duration.ofMinutes(1))) {
            List<Future<List<Joints3d>>> results = new ArrayList<>();
            for (int t = 0; t < callers; t++) {
                int id = t;
                results.add(pool.submit(() -> {
                    start.await();
                    return batcher.predict(List.of(crop(id * 10 + 1), crop(id * 10 + 2)));
                }));
            }
            for (int t = 0; t < callers; t++) {
                List<Joints3d> poses = results.get(t).get();
                assertEquals(2, poses.size());
                assertEquals(t * 10 + 1, poses.get(0).get(1, 0));
                assertEquals(t * 10 + 2, poses.get(1).get(1, 0));
            }
            assertEquals(callers * 2, model.batchSizes.stream().mapToInt(Integer::intValue).sum());
            assertTrue(model.batchSizes.size() < callers, "requests were not batched together: " + model.batchSizes);
            assertEquals(callers * 2, batcher.stats().crops());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFullBatchRunsWithoutWaitingForTheDelay() {
        EchoModel model = new EchoModel();
        try (Batcher batcher = new Batcher(model, 2, Duration.ofMinutes(10), 8, Duration.ofMinutes(1))) {
            List<Joints3d> poses = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> batcher.predict(List.of(crop(1), crop(2))));
            assertEquals(2.0, poses.get(1).get(1, 0));
        }
    }

    @Test
    void aBatchHoldingEveryPossibleCallerRunsWithoutWaitingForTheDelay() {
        EchoModel model = new EchoModel();
        try (Batcher batcher = new Batcher(model, 16, Duration.ofMinutes(10), 1, Duration.ofMinutes(1))) {
            List<Joints3d> poses = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> batcher.predict(List.of(crop(7))));
            assertEquals(7.0, poses.get(0).get(1, 0));
        }
    }

    @Test
    void aBatchDoesNotWaitForCallersThatAreNotWorkingOnARecord() {
        EchoModel model = new EchoModel();
        // eight possible callers, a ten-minute delay, but only this one is working: nobody else can come
        try (Batcher batcher = new Batcher(model, 16, Duration.ofMinutes(10), 8, Duration.ofMinutes(1));
             Batcher.Work work = batcher.startWork()) {
            List<Joints3d> poses = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> batcher.predict(List.of(crop(3))));
            assertEquals(3.0, poses.get(0).get(1, 0));
        }
    }

    @Test
    void aBatchWaitsForACallerStillWorkingAndTakesItsCrops() throws Exception {
        EchoModel model = new EchoModel();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch secondWorking = new CountDownLatch(1);
        try (Batcher batcher = new Batcher(model, 16, Duration.ofSeconds(30), 8, Duration.ofMinutes(1))) {
            Future<List<Joints3d>> second = pool.submit(() -> {
                try (Batcher.Work work = batcher.startWork()) {
                    secondWorking.countDown();
                    Thread.sleep(300); // still cropping when the first request arrives
                    return batcher.predict(List.of(crop(2)));
                }
            });
            secondWorking.await();
            List<Joints3d> first;
            try (Batcher.Work work = batcher.startWork()) {
                first = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> batcher.predict(List.of(crop(1))));
            }
            assertEquals(1.0, first.get(0).get(1, 0));
            assertEquals(2.0, second.get().get(0).get(1, 0));
            assertEquals(List.of(2), model.batchSizes, "the first request should have waited for the working caller");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aModelFailureReachesTheCallersOfThatBatchAndTheBatcherGoesOn() {
        EchoModel model = new EchoModel();
        try (Batcher batcher = new Batcher(model, 4, Duration.ZERO, 1, Duration.ofMinutes(1))) {
            model.failNext = new ModelException("boom");
            ModelException e = assertThrows(ModelException.class, () -> batcher.predict(List.of(crop(1))));
            assertEquals("boom", e.getMessage());
            assertEquals(5.0, batcher.predict(List.of(crop(5))).get(0).get(1, 0));
        }
    }

    @Test
    void closingReleasesWaitingCallers() throws Exception {
        EchoModel model = new EchoModel();
        model.gate = new CountDownLatch(1);
        Batcher batcher = new Batcher(model, 1, Duration.ZERO, 2, Duration.ofMinutes(1));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<List<Joints3d>> first = pool.submit(() -> batcher.predict(List.of(crop(1))));
            Future<List<Joints3d>> second = pool.submit(() -> batcher.predict(List.of(crop(2))));
            Thread.sleep(200);
            batcher.close();
            model.gate.countDown();
            assertThrows(Exception.class, () -> second.get());
            assertThrows(IllegalStateException.class, () -> batcher.predict(List.of(crop(3))));
            first.cancel(true);
        } finally {
            pool.shutdownNow();
        }
    }
}
