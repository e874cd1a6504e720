package dev.egopose.crop;

/** Channel order of an 8-bit colour image: OpenCV decodes to BGR, the model wants RGB. */
public enum ChannelOrder {
    RGB,
    BGR
}
