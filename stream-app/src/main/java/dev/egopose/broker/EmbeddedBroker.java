package dev.egopose.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka (KRaft, broker and controller in one) running inside this JVM and
 * listening on {@code 127.0.0.1} only. Start one with {@link #start(BrokerSettings)}, point clients
 * at {@link #bootstrapServers()}, close it when done.
 *
 * <p>Directory layout: {@code server.properties} (what the broker was started with),
 * {@code egopose-broker.properties} (cluster id and ports, so a persistent directory comes back on
 * the same address), and {@code kafka/} (the log directory, KRaft metadata included). A persistent
 * directory is formatted only when {@code kafka/meta.properties} does not exist yet; an ephemeral one
 * is deleted on close.
 *
 * <p>Topics are not created automatically ({@code auto.create.topics.enable=false}): create them
 * with {@link #createTopics(int, Collection)} or {@link TopicAdmin}. Internal topics (offsets,
 * transactions) have one partition, which is all a single node needs.
 *
 * <p>All Kafka broker classes stay behind this class.
 */
public final class EmbeddedBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);
    private static final String HOST = "127.0.0.1";
    private static final String STATE_FILE = "egopose-broker.properties";
    private static final String LOG_DIR = "kafka";
    private static final Set<String> FIXED_KEYS = Set.of(
            "process.roles", "node.id", "controller.quorum.bootstrap.servers", "controller.quorum.voters",
            "listeners", "advertised.listeners", "controller.listener.names", "listener.security.protocol.map",
            "inter.broker.listener.name", "log.dirs", "log.dir", "metadata.log.dir");

    private final KafkaRaftServer server;
    private final Path dir;
    private final boolean ephemeral;
    private final int port;
    private final int controllerPort;
    private final int saslPort;
    private final String clusterId;
    private final Duration startupTime;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedBroker(KafkaRaftServer server, Path dir, boolean ephemeral, int port, int controllerPort, int saslPort,
                           String clusterId, Duration startupTime) {
        this.server = server;
        this.dir = dir;
        this.ephemeral = ephemeral;
        this.port = port;
        this.controllerPort = controllerPort;
        this.saslPort = saslPort;
        this.clusterId = clusterId;
        this.startupTime = startupTime;
    }

    /** Starts an ephemeral broker on free ports. */
    public static EmbeddedBroker startEphemeral() {
        return start(BrokerSettings.ephemeral());
    }

    /**
     * Formats (if needed) and starts a broker, then waits until it answers {@code describeCluster}
     * with itself as a live node.
     *
     * @throws IllegalStateException if a port is taken, formatting fails, or the broker is not ready
     *                               within {@link BrokerSettings#startTimeout()}; the message says which
     * @throws UncheckedIOException  if the directory cannot be created or written
     */
    public static EmbeddedBroker start(BrokerSettings settings) {
        long t0 = System.nanoTime();
        boolean ephemeral = settings.dataDir().isEmpty();
        Path dir = settings.dataDir().map(Path::toAbsolutePath).orElseGet(EmbeddedBroker::createTempDir);
        try {
            Files.createDirectories(dir);
            Properties state = readState(dir);
            int port = choosePort("port", settings.port(), state.getProperty("port"), -1);
            int controllerPort =
                    choosePort("controllerPort", settings.controllerPort(), state.getProperty("controller.port"), port);
            int saslPort = settings.scramUser().isPresent() ? freePortOtherThan(port, controllerPort) : -1;
            Path logDir = dir.resolve(LOG_DIR);
            boolean formatted = Files.exists(logDir.resolve("meta.properties"));
            String clusterId = formatted && state.getProperty("cluster.id") != null
                    ? state.getProperty("cluster.id")
                    : Uuid.randomUuid().toString();

            Properties props = serverProperties(logDir, port, controllerPort, settings.overrides());
            if (saslPort > 0) {
                addScramListener(props, saslPort);
            }
            Path propsFile = dir.resolve("server.properties");
            writeProperties(propsFile, props, "written by egopose EmbeddedBroker; regenerated on every start");
            long tFormat = System.nanoTime();
            if (!formatted) {
                format(propsFile, clusterId);
            }
            Properties newState = new Properties();
            newState.setProperty("cluster.id", clusterId);
            newState.setProperty("port", Integer.toString(port));
            newState.setProperty("controller.port", Integer.toString(controllerPort));
            writeProperties(dir.resolve(STATE_FILE), newState, "egopose EmbeddedBroker: cluster id and ports, reused on restart");

            long tServer = System.nanoTime();
            KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
            long deadlineNanos = t0 + settings.startTimeout().toNanos();
            startBounded(server, deadlineNanos, settings.startTimeout());
            long tReady = System.nanoTime();
            String bootstrap = HOST + ":" + port;
            try {
                awaitReady(bootstrap, deadlineNanos, settings.startTimeout());
                if (settings.scramUser().isPresent()) {
                    addScramUser(bootstrap, HOST + ":" + saslPort, settings.scramUser().get(), deadlineNanos);
                }
            } catch (RuntimeException e) {
                shutdownQuietly(server);
                throw e;
            }
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            LOG.info("Kafka broker ready at {} in {} ms (prepare {} ms, format {} ms, start {} ms, ready {} ms; {} directory {}{})",
                    bootstrap, took.toMillis(), millis(t0, tFormat), millis(tFormat, tServer), millis(tServer, tReady),
                    millis(tReady, t0 + took.toNanos()), ephemeral ? "ephemeral" : "persistent", dir,
                    formatted ? ", reused" : ", formatted");
            return new EmbeddedBroker(server, dir, ephemeral, port, controllerPort, saslPort, clusterId, took);
        } catch (IOException e) {
            if (ephemeral) {
                deleteRecursively(dir);
            }
            throw new UncheckedIOException("cannot prepare broker directory " + dir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (ephemeral) {
                deleteRecursively(dir);
            }
            throw e;
        }
    }

    /** {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    /**
     * {@code 127.0.0.1:<port>} of the SASL/SCRAM-SHA-256 listener (security.protocol SASL_PLAINTEXT).
     *
     * @throws IllegalStateException if the broker was started without {@link BrokerSettings#withScramUser}
     */
    public String saslBootstrapServers() {
        if (saslPort < 0) {
            throw new IllegalStateException("this broker has no SASL listener (BrokerSettings.withScramUser)");
        }
        return HOST + ":" + saslPort;
    }

    public int controllerPort() {
        return controllerPort;
    }

    /** The broker's directory (see the class comment for its layout). */
    public Path directory() {
        return dir;
    }

    public boolean isEphemeral() {
        return ephemeral;
    }

    public String clusterId() {
        return clusterId;
    }

    /** Wall time from {@link #start} until the broker answered as ready. */
    public Duration startupTime() {
        return startupTime;
    }

    /**
     * Creates the topics that do not exist yet with {@code partitions} partitions each (existing
     * ones are left as they are) and returns the partition count of every named topic.
     */
    public Map<String, Integer> createTopics(int partitions, Collection<String> names) {
        return new TopicAdmin(bootstrapServers(), Duration.ofSeconds(30)).ensureTopics(partitions, names);
    }

    /** Stops the broker (a clean shutdown, logs flushed) and deletes an ephemeral directory. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long t0 = System.nanoTime();
        shutdownQuietly(server);
        if (ephemeral) {
            deleteRecursively(dir);
        }
        LOG.info("Kafka broker at {} stopped in {} ms", bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    @Override
    public String toString() {
        return "EmbeddedBroker[" + bootstrapServers() + ", " + (ephemeral ? "ephemeral " : "persistent ") + dir + "]";
    }

    private static Properties serverProperties(Path logDir, int port, int controllerPort, Map<String, String> overrides) {
        Properties p = new Properties();
        p.setProperty("num.partitions", "1");
        p.setProperty("auto.create.topics.enable", "false");
        p.setProperty("offsets.topic.num.partitions", "1");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("transaction.state.log.num.partitions", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.num.partitions", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        // The log cleaner's dedupe buffer is 128 MB of heap by default, allocated at start; a single-node
        // broker's compacted topics (offsets, transactions) are tiny, and in a small test JVM (-Xmx256m)
        // the default made the broker's start fail with OutOfMemoryError.
        p.setProperty("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024));
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            if (FIXED_KEYS.contains(e.getKey())) {
                throw new IllegalArgumentException("broker property " + e.getKey() + " is set by EmbeddedBroker and cannot be overridden");
            }
            p.setProperty(e.getKey(), e.getValue());
        }
        String controller = HOST + ":" + controllerPort;
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.bootstrap.servers", controller);
        p.setProperty("listeners", "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + controller);
        p.setProperty("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("log.dirs", logDir.toString());
        return p;
    }

    private static final String SCRAM = "SCRAM-SHA-256";

    /** A SASL_PLAINTEXT listener named SASL, SCRAM-SHA-256 only, beside the PLAINTEXT one (which brokers and tools keep using). */
    private static void addScramListener(Properties p, int saslPort) {
        String sasl = HOST + ":" + saslPort;
        p.setProperty("listeners", p.getProperty("listeners") + ",SASL://" + sasl);
        p.setProperty("advertised.listeners", p.getProperty("advertised.listeners") + ",SASL://" + sasl);
        p.setProperty("listener.security.protocol.map", p.getProperty("listener.security.protocol.map") + ",SASL:SASL_PLAINTEXT");
        p.setProperty("listener.name.sasl.sasl.enabled.mechanisms", SCRAM);
        p.setProperty("listener.name.sasl.scram-sha-256.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    }

    /** Creates the SCRAM user through the plain listener, then waits until it can log in on the SASL one. */
    private static void addScramUser(String plainBootstrap, String saslBootstrap, BrokerSettings.ScramUser user, long deadlineNanos) {
        Properties plain = new Properties();
        plain.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, plainBootstrap);
        Properties sasl = new Properties();
        sasl.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, saslBootstrap);
        sasl.setProperty(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        sasl.setProperty("sasl.mechanism", SCRAM);
        sasl.setProperty("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user.name() + "\" password=\"" + user.password().replace("\\", "\\\\").replace("\"", "\\\"") + "\";");
        sasl.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        sasl.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        String lastProblem = "no answer yet";
        try (Admin admin = Admin.create(plain)) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user.name(),
                            new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), user.password())))
                    .all().get(Math.max(1, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            while (System.nanoTime() < deadlineNanos) {
                try (Admin login = Admin.create(sasl)) {
                    login.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException | TimeoutException e) {
                    lastProblem = String.valueOf(e.getCause() != null ? e.getCause() : e);
                }
                Thread.sleep(100);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create SCRAM user " + user.name() + ": " + (e.getCause() != null ? e.getCause() : e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating SCRAM user " + user.name(), e);
        }
        throw new IllegalStateException("SCRAM user " + user.name() + " cannot log in at " + saslBootstrap + ": " + lastProblem);
    }

    private static int freePortOtherThan(int... taken) throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
                int candidate = socket.getLocalPort();
                if (java.util.Arrays.stream(taken).noneMatch(t -> t == candidate)) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("could not find a free port on " + HOST + " for the SASL listener");
    }

    private static void format(Path propsFile, String clusterId) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int rc;
        try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            rc = StorageTool.execute(
                    new String[] {"format", "-t", clusterId, "-c", propsFile.toString(), "--standalone"}, out);
        } catch (RuntimeException e) {
            throw new IllegalStateException("formatting the broker storage with " + propsFile + " failed: "
                    + e.getMessage() + "; tool output: " + captured.toString(StandardCharsets.UTF_8).strip(), e);
        }
        if (rc != 0) {
            throw new IllegalStateException("formatting the broker storage with " + propsFile + " failed (exit code "
                    + rc + "): " + captured.toString(StandardCharsets.UTF_8).strip());
        }
        LOG.debug("formatted: {}", captured.toString(StandardCharsets.UTF_8).strip());
    }

    private static void startBounded(KafkaRaftServer server, long deadlineNanos, Duration timeout) {
        ExecutorService starter = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "egopose-broker-startup");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<?> started = starter.submit(server::startup);
            started.get(Math.max(1, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            shutdownQuietly(server);
            throw new IllegalStateException("Kafka broker did not start within " + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            shutdownQuietly(server);
            Throwable cause = e.getCause();
            throw new IllegalStateException("Kafka broker failed to start: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            shutdownQuietly(server);
            throw new IllegalStateException("interrupted while starting the Kafka broker", e);
        } finally {
            starter.shutdownNow();
        }
    }

    private static void awaitReady(String bootstrap, long deadlineNanos, Duration timeout) {
        Properties cfg = new Properties();
        cfg.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        cfg.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        cfg.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        cfg.setProperty(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, "50");
        String lastProblem = "no answer yet";
        try (Admin admin = Admin.create(cfg)) {
            while (System.nanoTime() < deadlineNanos) {
                long waitMs = Math.max(1, Math.min(5000, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())));
                try {
                    Collection<Node> nodes = admin.describeCluster().nodes().get(waitMs, TimeUnit.MILLISECONDS);
                    if (!nodes.isEmpty()) {
                        return;
                    }
                    lastProblem = "the cluster has no live broker yet";
                } catch (ExecutionException | TimeoutException e) {
                    lastProblem = String.valueOf(e.getCause() != null ? e.getCause() : e);
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Kafka broker at " + bootstrap, e);
        }
        throw new IllegalStateException("Kafka broker at " + bootstrap + " not ready within " + timeout.toMillis()
                + " ms (Admin.describeCluster: " + lastProblem + ")");
    }

    private static int choosePort(String name, int requested, String remembered, int avoid) throws IOException {
        if (requested != 0) {
            if (!isFree(requested)) {
                throw new IllegalStateException(name + " " + requested + " on " + HOST + " is already in use");
            }
            return requested;
        }
        if (remembered != null) {
            try {
                int old = Integer.parseInt(remembered.trim());
                if (old != avoid && old > 0 && old <= 65535 && isFree(old)) {
                    return old;
                }
                LOG.warn("{} {} used last time is taken now; picking another one", name, old);
            } catch (NumberFormatException e) {
                LOG.warn("ignoring unreadable remembered {} '{}' in {}", name, remembered, STATE_FILE);
            }
        }
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
                int candidate = socket.getLocalPort();
                if (candidate != avoid) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("could not find a free port on " + HOST + " for " + name);
    }

    private static boolean isFree(int candidate) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), candidate), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Properties readState(Path dir) throws IOException {
        Properties state = new Properties();
        Path file = dir.resolve(STATE_FILE);
        if (Files.exists(file)) {
            try (var in = Files.newInputStream(file)) {
                state.load(in);
            }
        }
        return state;
    }

    private static void writeProperties(Path file, Properties props, String comment) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            props.store(out, comment);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("egopose-broker-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary broker directory: " + e.getMessage(), e);
        }
    }

    private static void shutdownQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("Kafka broker shutdown reported: {}", e.toString());
        }
    }

    private static long millis(long fromNanos, long toNanos) {
        return TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos);
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(paths::add);
        } catch (IOException e) {
            LOG.warn("cannot list {} for deletion: {}", root, e.toString());
            return;
        }
        for (Path p : paths) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                LOG.warn("cannot delete {}: {}", p, e.toString());
            }
        }
    }
}
