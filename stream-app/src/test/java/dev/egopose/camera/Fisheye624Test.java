package dev.egopose.camera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class Fisheye624Test {
    private final Fisheye624 model = CameraReference.calibration1408().model();

    @Test
    void projectionMatchesNumpyReference() {
        JsonNode cases = CameraReference.root().get("projections");
        assertTrue(cases.size() > 50);
        for (JsonNode c : cases) {
            double[] p = CameraReference.doubles(c.get("point"));
            double[] expected = CameraReference.doubles(c.get("pixel"));
            ImagePoint got = model.project(p[0], p[1], p[2]);
            assertEquals(expected[0], got.x(), 1e-6, "u of " + c);
            assertEquals(expected[1], got.y(), 1e-6, "v of " + c);
        }
    }

    @Test
    void unprojectionMatchesNumpyFiniteDifferenceNewton() {
        JsonNode cases = CameraReference.root().get("unprojections");
        assertEquals(49, cases.size());
        for (JsonNode c : cases) {
            double[] px = CameraReference.doubles(c.get("pixel"));
            double[] expected = CameraReference.doubles(c.get("ray"));
            Ray got = model.unproject(px[0], px[1]);
            assertEquals(1.0, got.z());
            assertEquals(expected[0], got.x(), 1e-9 * Math.max(1, Math.abs(expected[0])), "x of " + c);
            assertEquals(expected[1], got.y(), 1e-9 * Math.max(1, Math.abs(expected[1])), "y of " + c);
        }
    }

    @Test
    void projectOfUnprojectIsIdentityOverTheWholeImage() {
        double worst = 0;
        for (int y = 0; y < 1408; y += 3) {
            for (int x = 0; x < 1408; x += 3) {
                double px = x + 0.25;
                double py = y + 0.75;
                ImagePoint back = model.project(model.unproject(px, py));
                worst = Math.max(worst, Math.hypot(back.x() - px, back.y() - py));
            }
        }
        for (double[] corner : new double[][] {{0, 0}, {1407, 0}, {0, 1407}, {1407, 1407}}) {
            ImagePoint back = model.project(model.unproject(corner[0], corner[1]));
            worst = Math.max(worst, Math.hypot(back.x() - corner[0], back.y() - corner[1]));
        }
        assertTrue(worst < 1e-6, "worst round-trip error " + worst + " px");
    }

    @Test
    void unprojectOfProjectIsIdentityForEveryRayThatLandsInTheImage() {
        // rays up to the image corners (about 1.23 rad off-axis); error measured in pixels at focal length f
        double worst = 0;
        int checked = 0;
        for (double angle = 0; angle <= 1.25; angle += 0.0125) {
            for (double az = 0; az < 2 * Math.PI; az += Math.PI / 36) {
                double a = Math.tan(angle) * Math.cos(az);
                double b = Math.tan(angle) * Math.sin(az);
                ImagePoint px = model.project(a * 2, b * 2, 2);
                if (!new RgbCalibration(model, 1408, 1408).contains(px.x(), px.y())) {
                    continue;
                }
                Ray ray = model.unproject(px.x(), px.y());
                worst = Math.max(worst, model.focal() * Math.hypot(ray.x() - a, ray.y() - b));
                checked++;
            }
        }
        assertTrue(checked > 5000, "checked " + checked);
        assertTrue(worst < 1e-6, "worst round-trip error " + worst + " px");
    }

    @Test
    void rescaleFrom2880FollowsTheEgoExo4dRule() {
        Fisheye624 factory = new CalibrationJson().parse(CameraReference.sampleCalibrationText(), "sample").model();
        Fisheye624 scaled = factory.cropAndScale(32, 32, 0.5);
        double[] expected = CameraReference.doubles(CameraReference.root().get("params_1408"));
        double[] got = scaled.params();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], got[i], 1e-12, Fisheye624.paramName(i));
        }
    }

    @Test
    void rejectsWrongCountsNonFiniteValuesAndBadFocalLength() {
        double[] params = model.params();
        CalibrationException count = assertThrows(CalibrationException.class,
                () -> new Fisheye624(java.util.Arrays.copyOf(params, 14)));
        assertTrue(count.getMessage().contains("15") && count.getMessage().contains("14"), count.getMessage());
        double[] nan = params.clone();
        nan[5] = Double.NaN;
        CalibrationException bad = assertThrows(CalibrationException.class, () -> new Fisheye624(nan));
        assertTrue(bad.getMessage().contains("k2"), bad.getMessage());
        double[] zero = params.clone();
        zero[0] = 0;
        assertThrows(CalibrationException.class, () -> new Fisheye624(zero));
        assertThrows(IllegalArgumentException.class, () -> model.project(0, 0, -1));
    }

    @Test
    void paramsAreCopied() {
        double[] params = model.params();
        params[0] = 1;
        assertEquals(CameraReference.root().get("params_1408").get(0).asDouble(), model.focal());
    }
}
