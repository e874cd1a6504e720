package dev.egopose.cli;

import java.nio.file.Path;

/**
 * JVM-wide settings that must be in place before DJL or Avro classes load: DJL stays offline and
 * untracked, keeps its native cache outside any build folder, Avro trusts our generated classes, and
 * the JDK's HTTP server sets TCP_NODELAY.
 * A value already given on the command line ({@code -D...}) wins.
 */
final class JvmDefaults {
    private JvmDefaults() {}

    static void apply() {
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("OPT_OUT_TRACKING", "true");
        String cache = System.getenv("DJL_CACHE_DIR");
        setIfAbsent("DJL_CACHE_DIR", cache != null ? cache : Path.of(System.getProperty("user.home"), ".djl.ai").toString());
        setIfAbsent("org.apache.avro.SERIALIZABLE_PACKAGES", "dev.egopose.schema");
        // the JDK's HTTP server (ingest, metrics) answers without Nagle's delay: with it, each small
        // response waited for the client's delayed ACK, about 40 ms per frame posted
        setIfAbsent("sun.net.httpserver.nodelay", "true");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
