package dev.egopose.camera;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RgbCalibrationTest {
    private final RgbCalibration factory = new CalibrationJson().parse(CameraReference.sampleCalibrationText(), "sample");
    private final double[] expected1408 = CameraReference.doubles(CameraReference.root().get("params_1408"));

    @Test
    void fitsFactoryCalibrationTo1408ByTheEgoExo4dRule() {
        RgbCalibration fitted = factory.fittedTo(1408, 1408);
        assertEquals(1408, fitted.width());
        assertArrayEquals(expected1408, fitted.model().params(), 1e-12);
        RgbCalibration recording = CameraReference.calibration1408();
        assertSame(recording, recording.fittedTo(1408, 1408));
    }

    @Test
    void halfScaleUsesPixelCentreAlignment() {
        // 1408 -> 704: pixel j of the small image is centred on big-image coordinate 2j + 0.5
        RgbCalibration half = CameraReference.calibration1408().fittedTo(704, 704);
        assertEquals(704, half.width());
        double[] p = half.model().params();
        assertEquals(expected1408[0] / 2, p[0], 1e-12);
        assertEquals((expected1408[1] - 0.5) / 2, p[1], 1e-12);
        assertEquals((expected1408[2] - 0.5) / 2, p[2], 1e-12);
        // factory straight to 704: the 1408 rule, then the halving
        assertArrayEquals(p, factory.fittedTo(704, 704).model().params(), 1e-12);
        // and a point projects consistently: small = (big - 0.5) / 2
        ImagePoint big = CameraReference.calibration1408().model().project(0.3, -0.2, 1);
        ImagePoint small = half.model().project(0.3, -0.2, 1);
        assertEquals((big.x() - 0.5) / 2, small.x(), 1e-9);
        assertEquals((big.y() - 0.5) / 2, small.y(), 1e-9);
    }

    @Test
    void refusesFramesThatDoNotFitNamingBothSizes() {
        CalibrationException undistorted = assertThrows(CalibrationException.class, () -> factory.fittedTo(512, 512));
        assertTrue(undistorted.getMessage().contains("512x512") && undistorted.getMessage().contains("2880x2880"),
                undistorted.getMessage());
        CalibrationException odd = assertThrows(CalibrationException.class,
                () -> CameraReference.calibration1408().fittedTo(1408, 1000));
        assertTrue(odd.getMessage().contains("1408x1000") && odd.getMessage().contains("1408x1408"), odd.getMessage());
    }

    @Test
    void cropAndScaleChecksTheCrop() {
        RgbCalibration crop = CameraReference.calibration1408().cropAndScale(100, 200, 800, 600, 1.0);
        assertEquals(800, crop.width());
        assertEquals(600, crop.height());
        assertEquals(expected1408[1] - 100, crop.model().cu(), 1e-12);
        assertEquals(expected1408[2] - 200, crop.model().cv(), 1e-12);
        assertThrows(CalibrationException.class, () -> CameraReference.calibration1408().cropAndScale(1000, 0, 800, 600, 1.0));
        assertThrows(CalibrationException.class, () -> CameraReference.calibration1408().cropAndScale(0, 0, 801, 600, 0.5));
    }
}
