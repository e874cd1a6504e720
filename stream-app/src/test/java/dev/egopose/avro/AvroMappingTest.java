package dev.egopose.avro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egopose.domain.HandBox;
import dev.egopose.domain.HandSide;
import dev.egopose.domain.Joints3d;
import dev.egopose.schema.HandPose;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AvroMappingTest {

    @Test
    void sidesMapBothWays() {
        for (HandSide side : HandSide.values()) {
            dev.egopose.schema.HandSide avro = AvroMapping.toAvro(side);
            assertEquals(side.name(), avro.name());
            assertEquals(side, AvroMapping.toDomain(avro));
        }
        assertEquals(HandSide.values().length, dev.egopose.schema.HandSide.values().length);
    }

    @Test
    void boxesMapBothWaysWithTheirSide() {
        HandBox box = new HandBox(1.5, 2.5, 100.25, 200.75);
        dev.egopose.schema.HandBox avro = AvroMapping.toAvro(HandSide.RIGHT, box);
        assertEquals(dev.egopose.schema.HandSide.RIGHT, avro.getSide());
        assertEquals(100.25, avro.getX2());
        assertEquals(box, AvroMapping.toDomain(avro));
        assertEquals(HandSide.RIGHT, AvroMapping.sideOf(avro));
    }

    @Test
    void aBoxWithoutAreaIsRefusedNamingSideAndCorners() {
        dev.egopose.schema.HandBox flat = new dev.egopose.schema.HandBox(dev.egopose.schema.HandSide.LEFT, 10.0, 10.0, 10.0, 50.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AvroMapping.toDomain(flat));
        assertTrue(e.getMessage().startsWith("LEFT hand box has no area"), e.getMessage());
        assertTrue(e.getMessage().contains("[10.0, 10.0, 10.0, 50.0]"), e.getMessage());
    }

    @Test
    void jointsMapToSixtyThreeDoublesInJointOrder() {
        double[] xyz = new double[63];
        for (int i = 0; i < 63; i++) {
            xyz[i] = i * 0.5;
        }
        Joints3d joints = new Joints3d(xyz);
        List<Double> flat = AvroMapping.toAvro(joints);
        assertEquals(63, flat.size());
        assertEquals(joints.get(7, 1), flat.get(7 * 3 + 1));
        assertEquals(joints, AvroMapping.toJoints(flat));
    }

    @Test
    void wrongJointCountsAndNullsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AvroMapping.toJoints(List.of(1.0, 2.0, 3.0)));
        assertTrue(e.getMessage().contains("expected 63 joint coordinates, got 3"), e.getMessage());
        List<Double> withNull = new ArrayList<>();
        for (int i = 0; i < 63; i++) {
            withNull.add(i == 5 ? null : 0.0);
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AvroMapping.toJoints(withNull))
                .getMessage().contains("joint coordinate 5 is null"));
    }

    @Test
    void aPoseCarriesSideJointsAndBox() {
        Joints3d joints = new Joints3d(new double[63]);
        HandPose pose = AvroMapping.toAvro(HandSide.LEFT, joints, new HandBox(0, 0, 1, 1));
        assertEquals(dev.egopose.schema.HandSide.LEFT, pose.getSide());
        assertEquals(dev.egopose.schema.HandSide.LEFT, pose.getBox().getSide());
        assertEquals(joints, AvroMapping.toJoints(pose.getJoints()));
    }
}
