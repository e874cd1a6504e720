package dev.egopose.topology;

import dev.egopose.domain.HandBox;
import dev.egopose.domain.HandSide;

/** One hand's crop: the model input tensor (3 x 224 x 224, CHW) and the box it came from. */
record HandCrop(HandSide side, HandBox box, float[] tensor) {}
