package dev.egopose.topology;

import java.util.List;

/** A frame with its hands cropped, ready for the model. */
record CroppedFrame(FrameJob job, List<HandCrop> crops, float cropMs) {}
