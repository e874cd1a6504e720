package dev.egopose.broker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How to start an {@link EmbeddedBroker}.
 *
 * @param dataDir        a persistent directory (formatted on first use, reused afterwards), or empty
 *                       for an ephemeral one that is deleted on close
 * @param port           the client (PLAINTEXT) port on loopback; 0 picks a free one (a persistent
 *                       directory remembers and reuses the port it had while it is free)
 * @param controllerPort the KRaft controller port on loopback; 0 picks a free one (remembered the same way)
 * @param startTimeout   how long start-up may take before it is abandoned with an error
 * @param overrides      extra broker properties (e.g. {@code message.max.bytes}); listener, node and
 *                       directory settings cannot be overridden
 * @param scramUser      when present, a second client listener with SASL/SCRAM-SHA-256 authentication
 *                       (SASL_PLAINTEXT, loopback, free port) and this user on it
 */
public record BrokerSettings(
        Optional<Path> dataDir, int port, int controllerPort, Duration startTimeout, Map<String, String> overrides,
        Optional<ScramUser> scramUser) {

    /** A SASL/SCRAM-SHA-256 user of the embedded broker. */
    public record ScramUser(String name, String password) {
        public ScramUser {
            if (name.isBlank() || password.isEmpty() || !name.matches("[A-Za-z0-9_.-]+")) {
                throw new IllegalArgumentException("SCRAM user needs a plain name and a password, got '" + name + "'");
            }
        }

        @Override
        public String toString() {
            return "ScramUser[" + name + "]";
        }
    }

    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);

    public BrokerSettings {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(startTimeout, "startTimeout");
        checkPort("port", port);
        checkPort("controllerPort", controllerPort);
        if (port != 0 && port == controllerPort) {
            throw new IllegalArgumentException("port and controllerPort must differ, both are " + port);
        }
        if (startTimeout.isNegative() || startTimeout.isZero()) {
            throw new IllegalArgumentException("startTimeout must be positive, got " + startTimeout);
        }
        overrides = Map.copyOf(Objects.requireNonNull(overrides, "overrides"));
        Objects.requireNonNull(scramUser, "scramUser");
    }

    /** Ephemeral directory, free ports, default timeout. */
    public static BrokerSettings ephemeral() {
        return new BrokerSettings(Optional.empty(), 0, 0, DEFAULT_START_TIMEOUT, Map.of(), Optional.empty());
    }

    /** Persistent directory {@code dir} (created if missing), free or remembered ports, default timeout. */
    public static BrokerSettings persistent(Path dir) {
        return new BrokerSettings(Optional.of(dir), 0, 0, DEFAULT_START_TIMEOUT, Map.of(), Optional.empty());
    }

    public BrokerSettings withPort(int newPort) {
        return new BrokerSettings(dataDir, newPort, controllerPort, startTimeout, overrides, scramUser);
    }

    public BrokerSettings withControllerPort(int newControllerPort) {
        return new BrokerSettings(dataDir, port, newControllerPort, startTimeout, overrides, scramUser);
    }

    public BrokerSettings withStartTimeout(Duration newStartTimeout) {
        return new BrokerSettings(dataDir, port, controllerPort, newStartTimeout, overrides, scramUser);
    }

    public BrokerSettings withOverrides(Map<String, String> newOverrides) {
        return new BrokerSettings(dataDir, port, controllerPort, startTimeout, newOverrides, scramUser);
    }

    /** Also opens a SASL/SCRAM-SHA-256 listener with this user (see {@link EmbeddedBroker#saslBootstrapServers()}). */
    public BrokerSettings withScramUser(String name, String password) {
        return new BrokerSettings(dataDir, port, controllerPort, startTimeout, overrides, Optional.of(new ScramUser(name, password)));
    }

    private static void checkPort(String name, int value) {
        if (value < 0 || value > 65535) {
            throw new IllegalArgumentException(name + " must be 0 (pick a free one) or 1..65535, got " + value);
        }
    }
}
