package dev.egopose.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SynthRenderCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void synthThenRenderWritesTheLayoutAndThePictures(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        assertEquals(0, run("synth", "--out", data.toString(), "--frames", "3", "--seed", "4", "--no-progress"), err.toString());
        assertTrue(out.toString().contains("synth_4_0"), out.toString());
        Path gt = data.resolve("annotation/ego_pose_gt_anno_val_public.json");
        assertTrue(Files.isRegularFile(gt));
        assertTrue(Files.isRegularFile(data.resolve("image/undistorted/val/synth_4_0/000002.jpg")));
        assertTrue(Files.isRegularFile(data.resolve("image/distorted/val/synth_4_0/000002.jpg")));
        assertTrue(Files.isRegularFile(data.resolve("aria_calib_json/synth_4_0.json")));

        out.getBuffer().setLength(0);
        Path pictures = dir.resolve("pictures");
        assertEquals(0, run("render", "--gt", gt.toString(), "--images", data.resolve("image/undistorted").toString(),
                "--frames", "synth_4_0:1", "--out", pictures.toString()), err.toString());
        assertTrue(Files.size(pictures.resolve("synth_4_0_000001_overlay.png")) > 1000);
        assertTrue(Files.size(pictures.resolve("synth_4_0_000001_3d.png")) > 1000);
        assertEquals("", err.toString());

        // default: evenly spaced frames, here all three
        out.getBuffer().setLength(0);
        assertEquals(0, run("render", "--gt", gt.toString(), "--out", pictures.toString(), "--count", "5"));
        assertEquals(6, out.toString().lines().count(), out.toString());

        assertEquals(2, run("render", "--gt", gt.toString(), "--frames", "synth_4_0:9", "--out", pictures.toString()));
        assertTrue(err.toString().contains("has no frame 9"), err.toString());
        assertEquals(2, run("synth", "--out", data.toString(), "--frames", "0"));
    }

    @Test
    void helpDescribesTheOptions() {
        assertEquals(0, run("render", "--help"));
        String help = out.toString();
        for (String option : new String[] {"--gt", "--pred", "--images", "--split", "--frames", "--count", "--out", "--nominal-depth"}) {
            assertTrue(help.contains(option), option + " in " + help);
        }
        out.getBuffer().setLength(0);
        assertEquals(0, run("synth", "--help"));
        for (String option : new String[] {"--out", "--frames", "--takes", "--seed"}) {
            assertTrue(out.toString().contains(option), option);
        }
    }
}
