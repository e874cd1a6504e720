package dev.egopose.crop;

/** Bytes that OpenCV cannot decode as an image; the message says how many bytes, never what they hold. */
public final class ImageDecodeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ImageDecodeException(String message) {
        super(message);
    }
}
