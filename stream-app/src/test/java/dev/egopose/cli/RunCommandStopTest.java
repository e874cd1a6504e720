package dev.egopose.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;

/** How {@code run} ends: 0 on a stop request, an error (exit 1) once Kafka Streams is in ERROR or NOT_RUNNING. */
class RunCommandStopTest {
    @Test
    void kafkaStreamsInErrorEndsRunWithTheStateAndTheStatus() {
        AtomicInteger polls = new AtomicInteger();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RunCommand.awaitStop(
                () -> polls.incrementAndGet() < 2 ? State.RUNNING : State.ERROR, () -> "12 frames decoded", new CountDownLatch(1), 30));
        assertEquals("Kafka Streams stopped in state ERROR (the log above says why); 12 frames decoded", e.getMessage());
        assertEquals(2, polls.get());
        assertThrows(IllegalStateException.class, () -> RunCommand.awaitStop(() -> State.NOT_RUNNING, () -> "", new CountDownLatch(1), 30));
    }

    @Test
    void aStopRequestOrAnInterruptEndsWithZeroWhileRunningOrRebalancing() throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        stop.countDown();
        assertEquals(0, RunCommand.awaitStop(() -> State.RUNNING, () -> "", stop, 30));

        AtomicReference<Integer> exit = new AtomicReference<>();
        Thread run = new Thread(() -> exit.set(RunCommand.awaitStop(() -> State.REBALANCING, () -> "", new CountDownLatch(1), 30)));
        run.start();
        Thread.sleep(1500);
        assertTrue(run.isAlive(), "rebalancing is no reason to stop");
        run.interrupt();
        run.join(5000);
        assertEquals(0, exit.get());
    }
}
