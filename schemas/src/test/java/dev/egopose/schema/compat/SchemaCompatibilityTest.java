package dev.egopose.schema.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.egopose.schema.compat.SchemaFiles.Snapshot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The policy of {@code schemas/COMPATIBILITY.md}: every current schema (src/main/avro) reads data
 * written with every snapshot of it (src/test/resources/compat/Name.vN.avsc), BACKWARD_TRANSITIVE,
 * and every wire version of a schema has a snapshot.
 */
class SchemaCompatibilityTest {
    static Map<String, Schema> current;
    static Map<String, List<Snapshot>> snapshots;

    @BeforeAll
    static void load() {
        Path module = SchemaFiles.moduleDir();
        current = SchemaFiles.parseCurrent(module.resolve("src/main/avro"));
        snapshots = SchemaFiles.parseSnapshots(module.resolve("src/test/resources/compat"));
    }

    @TestFactory
    Stream<DynamicTest> everyCurrentSchemaReadsEverySnapshotOfIt() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, List<Snapshot>> e : snapshots.entrySet()) {
            for (Snapshot old : e.getValue()) {
                tests.add(DynamicTest.dynamicTest(e.getKey() + " reads " + old.label(), () -> {
                    Schema reader = current.get(old.name());
                    if (reader == null) {
                        fail("snapshot " + old.label() + " has no current schema " + old.name() + " in src/main/avro");
                    }
                    List<String> problems = CompatibilityCheck.backwardProblems(old.name(), reader, old.schema(), old.label());
                    if (!problems.isEmpty()) {
                        fail("BACKWARD compatibility broken (see schemas/COMPATIBILITY.md):\n  " + String.join("\n  ", problems));
                    }
                }));
            }
        }
        assertFalse(tests.isEmpty(), "no snapshots found");
        return tests.stream();
    }

    @Test
    void everySchemaHasASnapshotAndEverySnapshotASchema() {
        Set<String> withoutSnapshot = new TreeSet<>(current.keySet());
        withoutSnapshot.removeAll(snapshots.keySet());
        assertTrue(withoutSnapshot.isEmpty(), "schemas without a snapshot in src/test/resources/compat (add <Name>.v1.avsc"
                + " when a schema is first committed): " + withoutSnapshot);
        Set<String> orphans = new TreeSet<>(snapshots.keySet());
        orphans.removeAll(current.keySet());
        assertTrue(orphans.isEmpty(), "snapshots of schemas that no longer exist (removing a record type breaks its"
                + " readers; see COMPATIBILITY.md): " + orphans);
    }

    @Test
    void theNewestSnapshotOfEachSchemaIsItsCurrentWireForm() throws java.io.IOException {
        List<String> stale = new ArrayList<>();
        Path proposals = SchemaFiles.moduleDir().resolve("target/compat-proposed");
        for (Map.Entry<String, Schema> e : current.entrySet()) {
            List<Snapshot> versions = snapshots.get(e.getKey());
            if (versions == null) {
                continue; // reported by everySchemaHasASnapshotAndEverySnapshotASchema
            }
            Snapshot newest = versions.get(versions.size() - 1);
            if (!SchemaNormalization.toParsingForm(newest.schema()).equals(SchemaNormalization.toParsingForm(e.getValue()))) {
                String file = e.getKey() + ".v" + (newest.version() + 1) + ".avsc";
                java.nio.file.Files.createDirectories(proposals);
                java.nio.file.Files.writeString(proposals.resolve(file), e.getValue().toString(true) + "\n");
                stale.add(e.getKey() + " changed its wire form since " + newest.label() + ": add " + file
                        + " (written for you to " + proposals.resolve(file) + ")");
            }
        }
        assertTrue(stale.isEmpty(), "every wire version of a schema needs a snapshot, added in the commit that"
                + " changes it, so that its data stays readable:\n  " + String.join("\n  ", stale)
                + "\ncopy them to src/test/resources/compat/");
    }

    @Test
    void snapshotVersionsStartAtOneWithoutGaps() {
        for (Map.Entry<String, List<Snapshot>> e : snapshots.entrySet()) {
            List<Integer> versions = e.getValue().stream().map(Snapshot::version).toList();
            for (int i = 0; i < versions.size(); i++) {
                assertEquals(i + 1, versions.get(i), e.getKey() + " snapshot versions " + versions);
            }
        }
    }

    @Test
    void theCurrentFilesAreTheContractTheJarIsBuiltFrom() {
        assertEquals(Set.of("DeadLetter", "Frame", "HandBox", "HandPoses", "HandSide"), current.keySet());
        // the generated classes come from the same files: same wire form (parsing canonical form)
        assertEquals(SchemaNormalization.toParsingForm(dev.egopose.schema.Frame.getClassSchema()),
                SchemaNormalization.toParsingForm(current.get("Frame")));
    }

    // ---- the check can fail: deliberately broken variants, built in code, are rejected ----

    @Test
    void aNewFieldWithoutDefaultIsRejected() {
        Schema frame = current.get("Frame");
        Schema broken = withFields(frame, fields -> {
            fields.add(new Schema.Field("cameraId", Schema.create(Schema.Type.STRING), "which camera", (Object) null));
            return fields;
        });
        assertRejected("Frame", broken, frame, "READER_FIELD_MISSING_DEFAULT", "cameraId");
    }

    @Test
    void aRemovedEnumSymbolIsRejected() {
        Schema side = current.get("HandSide");
        Schema broken = Schema.createEnum(side.getName(), side.getDoc(), side.getNamespace(), List.of("LEFT"));
        assertRejected("HandSide", broken, side, "MISSING_ENUM_SYMBOLS", "RIGHT");
    }

    @Test
    void aNarrowedTypeIsRejected() {
        Schema poses = current.get("HandPoses");
        Schema broken = withFields(poses, fields -> {
            fields.replaceAll(f -> f.name().equals("frameNumber")
                    ? new Schema.Field(f.name(), Schema.create(Schema.Type.INT), f.doc(), f.defaultVal())
                    : f);
            return fields;
        });
        assertRejected("HandPoses", broken, poses, "TYPE_MISMATCH", "frameNumber");
    }

    @Test
    void aDroppedUnionBranchIsRejected() {
        Schema frame = current.get("Frame");
        Schema broken = withFields(frame, fields -> {
            fields.replaceAll(f -> {
                if (!f.name().equals("camera")) {
                    return f;
                }
                List<Schema> branches = new ArrayList<>(f.schema().getTypes());
                branches.removeIf(b -> b.getName().equals("Pinhole"));
                return new Schema.Field(f.name(), Schema.createUnion(branches), f.doc(), f.defaultVal());
            });
            return fields;
        });
        assertRejected("Frame", broken, frame, "MISSING_UNION_BRANCH", "camera");
    }

    @Test
    void theEvolutionsThePolicyAllowsAreAccepted() {
        Schema poses = current.get("HandPoses");
        Schema withOptionalField = withFields(poses, fields -> {
            fields.add(new Schema.Field("postMs", Schema.create(Schema.Type.FLOAT), "post-processing time", 0.0f));
            return fields;
        });
        assertEquals(List.of(), CompatibilityCheck.backwardProblems("HandPoses", withOptionalField, poses, "now"));

        Schema widened = withFields(poses, fields -> {
            fields.replaceAll(f -> f.name().equals("decodeMs")
                    ? new Schema.Field(f.name(), Schema.create(Schema.Type.DOUBLE), f.doc(), 0.0)
                    : f);
            return fields;
        });
        assertEquals(List.of(), CompatibilityCheck.backwardProblems("HandPoses", widened, poses, "now"));

        Schema side = current.get("HandSide");
        Schema moreSymbols = Schema.createEnum(side.getName(), side.getDoc(), side.getNamespace(), List.of("LEFT", "RIGHT", "BOTH"));
        assertEquals(List.of(), CompatibilityCheck.backwardProblems("HandSide", moreSymbols, side, "now"));
    }

    private static void assertRejected(String name, Schema reader, Schema writer, String type, String detail) {
        List<String> problems = CompatibilityCheck.backwardProblems(name, reader, writer, name + ".v1.avsc");
        assertFalse(problems.isEmpty(), "the broken variant of " + name + " was accepted");
        String all = String.join("\n", problems);
        assertTrue(all.startsWith(name + " cannot read data written with " + name + ".v1.avsc: "), all);
        assertTrue(all.contains(type), all);
        assertTrue(all.contains(detail), all);
    }

    /** A copy of {@code record} with its fields edited (Avro fields belong to one record, so they are copied). */
    private static Schema withFields(Schema record, UnaryOperator<List<Schema.Field>> edit) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : record.getFields()) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        return Schema.createRecord(record.getName(), record.getDoc(), record.getNamespace(), false, edit.apply(fields));
    }
}
