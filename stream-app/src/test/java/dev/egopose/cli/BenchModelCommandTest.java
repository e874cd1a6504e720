package dev.egopose.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.egopose.model.BundledModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench model} with two exports in turn: the report has both, and the first at the top level (no timing asserted). */
class BenchModelCommandTest {
    @Test
    void comparesSeveralExportsAndKeepsTheFirstAtTheTopLevel(@TempDir Path tmp) throws Exception {
        String dir = BundledModel.extractTo(tmp).toString();
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.commandLine().execute("bench", "model", "--model", dir, "--model", dir, "--batches", "1,2",
                    "--seconds", "0.1", "--rounds", "3", "--json");
        } finally {
            System.setOut(original);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        JsonNode report = new ObjectMapper().readTree(text.substring(text.indexOf('{')));
        assertEquals(3, report.get("rounds").asInt());
        assertEquals(2, report.get("models").size());
        assertEquals(report.get("models").get(0).get("results"), report.get("results"));
        for (JsonNode model : report.get("models")) {
            assertEquals(dir, model.get("dir").asText());
            assertEquals(2, model.get("results").size());
            for (JsonNode result : model.get("results")) {
                assertTrue(result.get("crops_per_s").asDouble() > 0, result.toString());
                assertTrue(result.get("cpu_ms_per_crop").asDouble() > 0, result.toString());
            }
        }
    }
}
