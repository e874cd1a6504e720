package dev.egopose.avro;

import dev.egopose.domain.HandBox;
import dev.egopose.domain.HandSide;
import dev.egopose.domain.Joints3d;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Conversions between the domain records and the generated Avro classes ({@code dev.egopose.schema}).
 * Domain invariants apply on the way in: a box without area or joints of the wrong count are refused
 * with {@link IllegalArgumentException} naming the value.
 */
public final class AvroMapping {
    private AvroMapping() {}

    public static HandSide toDomain(dev.egopose.schema.HandSide side) {
        Objects.requireNonNull(side, "side");
        return switch (side) {
            case LEFT -> HandSide.LEFT;
            case RIGHT -> HandSide.RIGHT;
        };
    }

    public static dev.egopose.schema.HandSide toAvro(HandSide side) {
        Objects.requireNonNull(side, "side");
        return switch (side) {
            case LEFT -> dev.egopose.schema.HandSide.LEFT;
            case RIGHT -> dev.egopose.schema.HandSide.RIGHT;
        };
    }

    /** The box's corners; its side is {@link #sideOf(dev.egopose.schema.HandBox)}. */
    public static HandBox toDomain(dev.egopose.schema.HandBox box) {
        Objects.requireNonNull(box, "box");
        try {
            return new HandBox(box.getX1(), box.getY1(), box.getX2(), box.getY2());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(box.getSide() + " " + e.getMessage(), e);
        }
    }

    public static HandSide sideOf(dev.egopose.schema.HandBox box) {
        return toDomain(Objects.requireNonNull(box, "box").getSide());
    }

    public static dev.egopose.schema.HandBox toAvro(HandSide side, HandBox box) {
        Objects.requireNonNull(box, "box");
        return dev.egopose.schema.HandBox.newBuilder()
                .setSide(toAvro(side))
                .setX1(box.x1())
                .setY1(box.y1())
                .setX2(box.x2())
                .setY2(box.y2())
                .build();
    }

    /** One posed hand as {@code HandPoses.hands} holds it. */
    public static dev.egopose.schema.HandPose toAvro(HandSide side, Joints3d joints, HandBox box) {
        return dev.egopose.schema.HandPose.newBuilder()
                .setSide(toAvro(side))
                .setJoints(toAvro(joints))
                .setBox(toAvro(side, box))
                .build();
    }

    /** 21 x (x, y, z) flattened, as in {@code HandPose.joints}. */
    public static Joints3d toJoints(List<Double> flat) {
        Objects.requireNonNull(flat, "joints");
        double[] xyz = new double[flat.size()];
        for (int i = 0; i < xyz.length; i++) {
            Double v = flat.get(i);
            if (v == null) {
                throw new IllegalArgumentException("joint coordinate " + i + " is null");
            }
            xyz[i] = v;
        }
        return new Joints3d(xyz);
    }

    /** The 63 coordinates, joint by joint, as {@code HandPose.joints} holds them. */
    public static List<Double> toAvro(Joints3d joints) {
        double[] xyz = Objects.requireNonNull(joints, "joints").xyz();
        List<Double> flat = new ArrayList<>(xyz.length);
        for (double v : xyz) {
            flat.add(v);
        }
        return flat;
    }
}
