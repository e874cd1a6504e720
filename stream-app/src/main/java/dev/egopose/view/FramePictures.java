package dev.egopose.view;

import dev.egopose.schema.Frame;

/** Makes the picture the page shows of a frame record: a JPEG of the 512 view (or of the frame as it came). */
@FunctionalInterface
public interface FramePictures {
    /** @throws RuntimeException naming what is wrong, for a frame that gives no picture */
    byte[] jpeg(Frame frame);
}
