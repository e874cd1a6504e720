package dev.egopose.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.egopose.domain.HandSide;
import dev.egopose.egoexo.GroundTruth;
import dev.egopose.egoexo.GtAnnoReader;
import dev.egopose.egoexo.SubmissionReader;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Java's numbers against the independent NumPy reference ({@code src/main/python/eval_reference.py}), which
 * generated the inputs and {@code expected.json} under {@code src/test/resources/eval/}.
 */
class ParityTest {
    private static final double TOL = 1e-6; // mm

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(ParityTest.class.getResource("/eval/" + name).toURI());
    }

    private static void assertScore(JsonNode expected, Score actual, String where) {
        assertEquals(expected.get("hands").asInt(), actual.hands(), where + " hands");
        assertEquals(expected.get("mpjpe_mm").asDouble(), actual.mpjpeMm(), TOL, where + " MPJPE");
        assertEquals(expected.get("pa_mpjpe_mm").asDouble(), actual.paMpjpeMm(), TOL, where + " PA-MPJPE");
    }

    @ParameterizedTest
    @CsvSource({"pred.json, false, pred.json", "pred_offset.json, true, pred_offset.json --offset"})
    void matchesTheNumpyReference(String predFile, boolean offset, String expectedKey) throws IOException, URISyntaxException {
        GroundTruth gt = new GtAnnoReader().read(resource("gt.json"));
        SubmissionReader.Result pred = new SubmissionReader().readTolerant(resource(predFile));
        JsonNode expected = new ObjectMapper().readTree(resource("expected.json").toFile()).get(expectedKey);

        EvaluationReport report = new Evaluator(offset, false).evaluate(gt, pred);

        assertScore(expected, report.overall(), "overall");
        assertScore(expected.get("by_side").get("left"), report.bySide().get(HandSide.LEFT), "left");
        assertScore(expected.get("by_side").get("right"), report.bySide().get(HandSide.RIGHT), "right");
        JsonNode byTake = expected.get("by_take");
        assertEquals(byTake.size(), report.byTake().size());
        for (Iterator<Map.Entry<String, JsonNode>> it = byTake.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> take = it.next();
            assertScore(take.getValue(), report.byTake().get(take.getKey()), "take " + take.getKey());
        }
    }
}
