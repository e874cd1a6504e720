package dev.egopose.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.egopose.domain.CropMode;
import dev.egopose.model.Batcher;
import dev.egopose.model.BundledModel;
import dev.egopose.model.ModelCard;
import dev.egopose.model.SimulatedModel;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The warm-up runs real crops of both hands through the batcher once per round, in either crop mode. */
class FramePathWarmUpTest {
    @Test
    void everyRoundSendsTwoCropsThroughTheBatcher() {
        ModelCard card = ModelCard.read(BundledModel.extract().resolve("model.json"));
        for (CropMode mode : CropMode.values()) {
            try (Batcher batcher = new Batcher(new SimulatedModel(card, 0, 0), 16, Duration.ZERO, 1, Duration.ofMinutes(1))) {
                FramePathWarmUp.run(4, batcher, mode, 3);
                assertEquals(3, batcher.stats().batches(), mode.toString());
                assertEquals(6, batcher.stats().crops(), mode.toString());
            }
        }
    }
}
