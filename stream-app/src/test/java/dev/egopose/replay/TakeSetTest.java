package dev.egopose.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egopose.domain.HandBox;
import dev.egopose.domain.HandSide;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TakeSetTest {
    // uids chosen so that the file order differs from uid order
    private static final String ALPHA = "a1a1a1a1-0000-0000-0000-000000000001";
    private static final String ZETA = "b2b2b2b2-0000-0000-0000-000000000002";
    private static final String GAMMA = "c3c3c3c3-0000-0000-0000-000000000003";

    @TempDir
    Path root;

    private Path images;
    private Path anno;

    @BeforeEach
    void layout() throws IOException {
        images = Files.createDirectories(root.resolve("aria_img"));
        anno = new GtAnnoJson()
                // written out of order on purpose: takes by uid, frames numerically (not as strings)
                .frame(GAMMA, "gamma_take", 0, new double[] {5, 6, 7, 8}, null)
                .frame(ZETA, "zeta_take", 100, new double[] {1, 1, 50, 60}, new double[] {200, 210, 300, 320.5})
                .frame(ZETA, "zeta_take", 9, null, new double[] {10.25, 20.5, 30.75, 41})
                .frame(ZETA, "zeta_take", 10, null, null)
                .frame(ALPHA, "alpha_take", 3, null, new double[] {0, 0, 511, 511})
                .frame(ALPHA, "alpha_take", 1, new double[] {288.72, 325.86, 449.42, 473.67}, null)
                .write(root.resolve("ego_pose_gt_anno_val_public.json"));
        // alpha under the split folder, zeta directly under images, gamma nowhere
        touch(images.resolve("val/alpha_take/000001.jpg"));
        touch(images.resolve("val/alpha_take/000003.jpg"));
        touch(images.resolve("zeta_take/000009.jpg"));
        touch(images.resolve("zeta_take/000010.jpg"));
        touch(images.resolve("zeta_take/000100.jpg"));
    }

    private static void touch(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[] {1});
    }

    private static List<String> ids(List<ReplayFrame> frames) {
        return frames.stream().map(f -> f.takeName() + "/" + f.frameNumber()).toList();
    }

    @Test
    void framesComeTakeByTakeInUidOrderThenFrameNumber() throws IOException {
        List<ReplayFrame> frames = TakeSet.open(anno, images, null, null).frames(Set.of(), 0);
        assertEquals(List.of("alpha_take/1", "alpha_take/3", "zeta_take/9", "zeta_take/10", "zeta_take/100", "gamma_take/0"), ids(frames));
        assertEquals(List.of(ALPHA, ALPHA, ZETA, ZETA, ZETA, GAMMA), frames.stream().map(ReplayFrame::takeUid).toList());
    }

    @Test
    void splitComesFromTheAnnotationFileNameAndImagesAreFoundWithOrWithoutIt() throws IOException {
        TakeSet set = TakeSet.open(anno, images, null, null);
        assertFalse(set.distorted());
        List<ReplayFrame> frames = set.frames(Set.of(), 0);
        assertEquals(images.resolve("val").resolve("alpha_take").resolve("000001.jpg"), frames.get(0).image());
        assertEquals(images.resolve("val").resolve("alpha_take").resolve("000003.jpg"), frames.get(1).image());
        assertEquals(images.resolve("zeta_take").resolve("000009.jpg"), frames.get(2).image());
        assertEquals(images.resolve("zeta_take").resolve("000100.jpg"), frames.get(4).image());
        // missing everywhere: where it should be, under the split
        assertEquals(images.resolve("val").resolve("gamma_take").resolve("000000.jpg"), frames.get(5).image());
        assertTrue(Files.isRegularFile(frames.get(0).image()));
        assertFalse(Files.exists(frames.get(5).image()));
    }

    @Test
    void anExplicitSplitWinsOverTheFileName() throws IOException {
        touch(images.resolve("test/alpha_take/000001.jpg"));
        List<ReplayFrame> frames = TakeSet.open(anno, images, "test", null).frames(Set.of(ALPHA), 0);
        assertEquals(images.resolve("test/alpha_take/000001.jpg"), frames.get(0).image());
        // frame 3 exists neither under test/ nor flat: expected under test/
        assertEquals(images.resolve("test/alpha_take/000003.jpg"), frames.get(1).image());
    }

    @Test
    void anAnnotationWithoutSplitInItsNameLooksDirectlyUnderTheTake() throws IOException {
        Path other = Files.copy(anno, root.resolve("my_annotations.json"));
        List<ReplayFrame> frames = TakeSet.open(other, images, null, null).frames(Set.of(), 0);
        assertEquals(images.resolve("alpha_take/000001.jpg"), frames.get(0).image());
        assertEquals(images.resolve("zeta_take/000009.jpg"), frames.get(2).image());
    }

    @Test
    void boxesPerSideComeFromTheAnnotation() throws IOException {
        List<ReplayFrame> frames = TakeSet.open(anno, images, null, null).frames(Set.of(), 0);
        assertEquals(Map.of(HandSide.RIGHT, new HandBox(288.72, 325.86, 449.42, 473.67)), frames.get(0).boxes());
        assertEquals(Map.of(HandSide.LEFT, new HandBox(0, 0, 511, 511)), frames.get(1).boxes());
        assertEquals(Map.of(HandSide.LEFT, new HandBox(10.25, 20.5, 30.75, 41)), frames.get(2).boxes());
        assertEquals(Map.of(), frames.get(3).boxes());
        assertEquals(Map.of(HandSide.RIGHT, new HandBox(1, 1, 50, 60), HandSide.LEFT, new HandBox(200, 210, 300, 320.5)), frames.get(4).boxes());
    }

    @Test
    void takesFilterByUidOrByName() throws IOException {
        TakeSet set = TakeSet.open(anno, images, null, null);
        assertEquals(List.of("zeta_take/9", "zeta_take/10", "zeta_take/100"), ids(set.frames(Set.of(ZETA), 0)));
        assertEquals(List.of("gamma_take/0"), ids(set.frames(Set.of("gamma_take"), 0)));
        assertEquals(List.of("alpha_take/1", "alpha_take/3", "gamma_take/0"), ids(set.frames(Set.of("alpha_take", GAMMA), 0)));
        assertEquals(List.of(), set.frames(Set.of("no_such_take"), 0));
    }

    @Test
    void limitCutsAcrossTakes() throws IOException {
        TakeSet set = TakeSet.open(anno, images, null, null);
        assertEquals(List.of("alpha_take/1", "alpha_take/3", "zeta_take/9", "zeta_take/10"), ids(set.frames(Set.of(), 4)));
        assertEquals(List.of("alpha_take/1"), ids(set.frames(Set.of(), 1)));
        assertEquals(List.of("zeta_take/9", "zeta_take/10"), ids(set.frames(Set.of("zeta_take"), 2)));
        assertEquals(6, set.frames(Set.of(), 6).size());
        assertEquals(6, set.frames(Set.of(), 100).size());
    }

    @Test
    void aTakeWithoutMetadataIsNamedByItsUid() throws IOException {
        String uid = "d4d4d4d4-0000-0000-0000-000000000004";
        Path bare = new GtAnnoJson().frame(uid, null, 7, new double[] {1, 2, 3, 4}, null).write(root.resolve("ego_pose_gt_anno_test_public.json"));
        touch(images.resolve("test").resolve(uid).resolve("000007.jpg"));
        List<ReplayFrame> frames = TakeSet.open(bare, images, null, null).frames(Set.of(), 0);
        assertEquals(1, frames.size());
        assertEquals(uid, frames.get(0).takeName());
        assertEquals(images.resolve("test").resolve(uid).resolve("000007.jpg"), frames.get(0).image());
    }

    @Test
    void aMissingImagesFolderIsRefusedNamingIt() {
        Path nowhere = root.resolve("no_images_here");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TakeSet.open(anno, nowhere, null, null));
        assertTrue(e.getMessage().contains(nowhere.toString()), e.getMessage());
    }

    @Test
    void aMissingCalibrationFolderIsRefusedNamingIt() {
        Path nowhere = root.resolve("no_calib_here");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TakeSet.open(anno, images, null, nowhere));
        assertTrue(e.getMessage().contains(nowhere.toString()), e.getMessage());
    }

    @Test
    void annotationIsExposed() throws IOException {
        TakeSet set = TakeSet.open(anno, images, null, null);
        assertEquals(List.of(ALPHA, ZETA, GAMMA), List.copyOf(set.annotation().takes().keySet()));
        assertEquals(6, set.annotation().frameCount());
    }
}
