package dev.egopose.cli;

import dev.egopose.camera.FrameOrientation;
import dev.egopose.camera.Fisheye624;
import dev.egopose.camera.RgbCalibration;
import dev.egopose.camera.UndistortionMapCache;
import dev.egopose.config.Settings;
import dev.egopose.crop.ViewJpeg;
import dev.egopose.domain.ImageHeader;
import dev.egopose.schema.Frame;
import dev.egopose.schema.ImageUri;
import dev.egopose.schema.InlineImage;
import dev.egopose.schema.Orientation;
import dev.egopose.topology.ClaimCheck;
import dev.egopose.view.FramePictures;
import java.nio.ByteBuffer;

/**
 * The view's pictures under the processor's own rules for images: inline bytes or a {@code file:} URI
 * under {@code image.uri.roots} (the same {@link ClaimCheck}), at most {@code image.max.bytes} and
 * {@code image.max.pixels}; a fisheye frame undistorted to the 512 view, an undistorted one as it came.
 */
final class ViewPictures implements FramePictures {
    private final ClaimCheck claimCheck;
    private final long maxBytes;
    private final long maxPixels;
    private final ViewJpeg jpeg = new ViewJpeg(new UndistortionMapCache(8));

    ViewPictures(Settings settings) {
        this.claimCheck = new ClaimCheck(settings.imageUriRoots(), settings.imageMaxBytes());
        this.maxBytes = settings.imageMaxBytes();
        this.maxPixels = settings.imageMaxPixels();
    }

    @Override
    public byte[] jpeg(Frame frame) {
        String where = "take " + frame.getTakeUid() + " frame " + frame.getFrameNumber();
        byte[] bytes;
        if (frame.getImage() instanceof InlineImage inline) {
            bytes = inline(inline.getBytes(), where);
        } else if (frame.getImage() instanceof ImageUri uri) {
            bytes = claimCheck.read(uri.getUri(), where);
        } else {
            throw new IllegalArgumentException(where + ": field image: neither inline bytes nor a URI");
        }
        ImageHeader header = ImageHeader.read(bytes);
        if (header.pixels() > maxPixels) {
            throw new IllegalArgumentException(where + ": image of " + header.width() + "x" + header.height()
                    + " is larger than image.max.pixels = " + maxPixels);
        }
        if (frame.getCamera() instanceof dev.egopose.schema.Fisheye624 camera) {
            double[] params = camera.getParams().stream().mapToDouble(Double::doubleValue).toArray();
            RgbCalibration calibration = new RgbCalibration(new Fisheye624(params), camera.getCalibWidth(), camera.getCalibHeight());
            FrameOrientation orientation = frame.getOrientation() == Orientation.ROTATED_90_CW ? FrameOrientation.PORTRAIT : FrameOrientation.SENSOR;
            return jpeg.undistorted(bytes, orientation, calibration, header.width(), header.height());
        }
        return jpeg.asItCame(bytes);
    }

    private byte[] inline(ByteBuffer image, String where) {
        ByteBuffer buffer = image.duplicate();
        if (buffer.remaining() > maxBytes) {
            throw new IllegalArgumentException(where + ": inline image of " + buffer.remaining() + " bytes is larger than image.max.bytes = " + maxBytes);
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
