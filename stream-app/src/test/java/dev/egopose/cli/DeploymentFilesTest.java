package dev.egopose.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.egopose.config.Settings;
import dev.egopose.ops.OpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The Docker files follow the code (no Docker engine here, so they are read, not built): every copied
 * path exists or is what the build makes, every command and option parses, every EGOPOSE_* variable
 * is a setting and loads, the health check probes the ready endpoint on the metrics port, and the
 * CUDA image's libtorch is one DJL's JNI jar has a library for. (The YAML reader comes with kafka_2.13
 * at runtime scope; declaring it here as a test dependency would take it out of the runtime.)
 */
class DeploymentFilesTest {
    private static final Path ROOT = Path.of("..");
    private static final Pattern URL = Pattern.compile("https?://[^\\s\"]+");

    /** One Dockerfile, instructions with their continuation lines joined. */
    record Dockerfile(Path path, List<String[]> instructions) {
        static Dockerfile read(Path path) throws IOException {
            List<String[]> out = new ArrayList<>();
            StringBuilder line = new StringBuilder();
            for (String raw : Files.readAllLines(path)) {
                if (raw.strip().startsWith("#") || raw.isBlank()) {
                    continue;
                }
                line.append(raw.strip());
                if (raw.endsWith("\\")) {
                    line.setLength(line.length() - 1);
                    line.append(' ');
                    continue;
                }
                String text = line.toString();
                int space = text.indexOf(' ');
                out.add(new String[] {text.substring(0, space).toUpperCase(Locale.ROOT), text.substring(space + 1).strip()});
                line.setLength(0);
            }
            return new Dockerfile(path, out);
        }

        List<String> all(String instruction) {
            return instructions.stream().filter(i -> i[0].equals(instruction)).map(i -> i[1]).toList();
        }

        String last(String instruction) {
            List<String> found = all(instruction);
            assertTrue(!found.isEmpty(), path + " has no " + instruction);
            return found.get(found.size() - 1);
        }

        /** Every ENV of the final stage, KEY=VALUE pairs. */
        Map<String, String> env() {
            Map<String, String> env = new LinkedHashMap<>();
            for (String e : all("ENV")) {
                for (String pair : e.trim().split("\\s+")) {
                    int eq = pair.indexOf('=');
                    assertTrue(eq > 0, path + ": ENV " + pair + " is not KEY=VALUE");
                    env.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
            return env;
        }
    }

    private static List<String> jsonArray(String text) throws IOException {
        List<String> out = new ArrayList<>();
        new ObjectMapper().readTree(text).forEach(n -> out.add(n.asText()));
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile", "Dockerfile.cuda"})
    void dockerfileNamesOnlyWhatTheBuildHasAndProbesReadiness(String name) throws Exception {
        Dockerfile docker = Dockerfile.read(ROOT.resolve("docker").resolve(name));
        String pom = Files.readString(ROOT.resolve("stream-app/pom.xml"));
        List<String> destinations = new ArrayList<>();
        for (String copy : docker.all("COPY")) {
            String[] parts = copy.split("\\s+");
            destinations.add(parts[parts.length - 1]);
            if (parts[0].startsWith("--from=")) {
                String source = parts[1];
                if (source.equals("/src/stream-app/target/egopose.jar")) {
                    assertTrue(pom.contains("<finalName>egopose</finalName>"), "the build no longer makes egopose.jar");
                } else if (source.equals("/src/stream-app/target/lib")) {
                    assertTrue(pom.contains("<outputDirectory>${project.build.directory}/lib</outputDirectory>"), "the build no longer fills target/lib");
                } else {
                    fail(name + " copies " + source + " from the build stage, which this test does not know the build to make");
                }
            } else {
                for (String source : Arrays.copyOf(parts, parts.length - 1)) {
                    assertTrue(Files.exists(ROOT.resolve(source)), name + " copies " + source + ", which does not exist");
                }
            }
        }
        List<String> entrypoint = jsonArray(docker.last("ENTRYPOINT"));
        int jar = entrypoint.indexOf("-jar");
        assertTrue(jar > 0 && destinations.contains(entrypoint.get(jar + 1)), name + ": the entrypoint's jar is not copied in: " + entrypoint);
        List<String> args = new ArrayList<>(entrypoint.subList(jar + 2, entrypoint.size()));
        args.addAll(jsonArray(docker.last("CMD")));
        Map<String, String> env = docker.env();
        checkCommand(name + " CMD", args, env);

        int port = Integer.parseInt(env.get("EGOPOSE_METRICS_PORT"));
        assertEquals("0.0.0.0", env.get("EGOPOSE_METRICS_HOST"), name + ": a probe from outside the container needs every interface");
        assertTrue(docker.all("EXPOSE").contains(Integer.toString(port)), name + " exposes " + docker.all("EXPOSE") + ", metrics on " + port);
        String health = docker.last("HEALTHCHECK");
        assertTrue(health.contains("CMD curl -fsS "), name + ": " + health);
        assertTrue(docker.all("RUN").stream().anyMatch(r -> r.contains("apt-get install") && r.contains(" curl")), name + " installs no curl");
        checkReadyUrl(name, health, port);
    }

    @Test
    void cudaImageLoadsALibtorchThatDjlHasAJniLibraryFor() throws Exception {
        Dockerfile docker = Dockerfile.read(ROOT.resolve("docker/Dockerfile.cuda"));
        Map<String, String> env = docker.env();
        String flavor = env.get("PYTORCH_FLAVOR");
        String version = env.get("PYTORCH_VERSION");
        assertNotNull(getClass().getClassLoader().getResource("jnilib/linux-x86_64/" + flavor + "/libdjl_torch.so"),
                "DJL's pytorch-jni has no JNI library for PYTORCH_FLAVOR=" + flavor);
        Properties jni = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("jnilib/pytorch.properties")) {
            jni.load(in);
        }
        assertTrue(jni.getProperty("jni_version").startsWith(version + "-"), "JNI " + jni + " is not for libtorch " + version);
        String run = String.join("\n", docker.all("RUN"));
        assertTrue(run.contains("torch==" + version + " "), "the wheel installed is not torch " + version + ": " + run);
        assertTrue(run.contains("--index-url https://download.pytorch.org/whl/" + flavor), "the wheel is not the " + flavor + " build: " + run);
        String cuda = flavor.substring(2, flavor.length() - 1) + "." + flavor.substring(flavor.length() - 1);
        assertTrue(docker.all("FROM").stream().anyMatch(f -> f.startsWith("nvidia/cuda:" + cuda + ".")), "base image is not CUDA " + cuda);
        String python = run.contains("ubuntu24.04") || docker.all("FROM").stream().anyMatch(f -> f.contains("ubuntu24.04")) ? "python3.12" : "?";
        assertEquals("/usr/local/lib/" + python + "/dist-packages/torch/lib", env.get("PYTORCH_LIBRARY_PATH"));
    }

    @Test
    void composeServicesUseKnownSettingsCommandsAndHealth() throws Exception {
        JsonNode services = new YAMLMapper().readTree(ROOT.resolve("docker/compose.yaml").toFile()).get("services");
        int checked = 0;
        for (var it = services.fields(); it.hasNext(); ) {
            var service = it.next();
            JsonNode build = service.getValue().get("build");
            if (build == null) {
                continue;
            }
            String name = "compose service " + service.getKey();
            assertTrue(Files.isRegularFile(ROOT.resolve("docker").resolve(build.get("context").asText()).resolve(build.get("dockerfile").asText())), name);
            Map<String, String> env = new LinkedHashMap<>(Dockerfile.read(ROOT.resolve("docker/Dockerfile")).env());
            service.getValue().get("environment").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
            List<String> command = new ArrayList<>();
            service.getValue().get("command").forEach(c -> command.add(c.asText()));
            checkCommand(name, command, env);
            JsonNode health = service.getValue().get("healthcheck");
            if (command.get(0).equals("run")) {
                int port = Integer.parseInt(env.get("EGOPOSE_METRICS_PORT"));
                List<String> ports = new ArrayList<>();
                service.getValue().get("ports").forEach(p -> ports.add(p.asText()));
                assertTrue(ports.stream().anyMatch(p -> p.endsWith(":" + port)), name + " publishes " + ports + ", metrics on " + port);
                checkReadyUrl(name, health.get("test").toString(), port);
            } else {
                assertTrue(health != null && health.get("disable").asBoolean(), name + " serves no /health; its image's check must be off");
            }
            checked++;
        }
        assertEquals(2, checked, "the processor and the sink");
    }

    private static void checkReadyUrl(String where, String text, int port) {
        Matcher url = URL.matcher(text);
        assertTrue(url.find(), where + " probes no URL: " + text);
        URI uri = URI.create(url.group());
        assertEquals(OpsServer.READY, uri.getPath(), where);
        assertEquals(port, uri.getPort(), where);
    }

    /** The arguments parse as an egopose command, their files exist, and the settings (flags and env) load. */
    private static void checkCommand(String where, List<String> args, Map<String, String> env) {
        Map<String, String> egoposeEnv = new LinkedHashMap<>();
        env.forEach((k, v) -> {
            if (k.startsWith("EGOPOSE_")) {
                String key = k.substring("EGOPOSE_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
                assertTrue(Settings.DEFAULTS.containsKey(key) || key.startsWith(Settings.KAFKA_PREFIX), where + ": " + k + " is no setting");
                egoposeEnv.put(k, v);
            }
        });
        CommandLine.ParseResult parsed;
        try {
            parsed = Main.commandLine().parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new AssertionError(where + ": " + args + " does not parse: " + e.getMessage(), e);
        }
        assertTrue(parsed.hasSubcommand(), where + " names no command: " + args);
        CommandLine.ParseResult sub = parsed.subcommand();
        Map<String, String> sets = new LinkedHashMap<>();
        Path file = null;
        if (sub.hasMatchedOption("--set")) {
            sets.putAll(sub.matchedOptionValue("--set", Map.of()));
        }
        if (sub.hasMatchedOption("--config")) {
            String config = sub.matchedOptionValue("--config", Path.of("")).toString();
            assertTrue(config.startsWith("/app/configs/"), where + ": --config " + config + " is not in the image's /app/configs");
            file = ROOT.resolve("configs").resolve(config.substring("/app/configs/".length()));
            assertTrue(Files.isRegularFile(file), where + ": " + file + " does not exist");
        }
        Settings.load(file, egoposeEnv, sets);
    }
}
