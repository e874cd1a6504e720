package dev.egopose.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates topics on any broker (embedded or not) through the Kafka {@link Admin} client: missing ones
 * are created with the given partition count and the broker's default replication factor, existing
 * ones are left alone. Every call is bounded by {@code timeout}.
 *
 * @param bootstrapServers where to connect
 * @param timeout          the longest one call may take
 * @param clientSettings   further Admin client settings (security, client id...), applied last
 */
public record TopicAdmin(String bootstrapServers, Duration timeout, Map<String, String> clientSettings) {

    /** A plain-text admin without further client settings. */
    public TopicAdmin(String bootstrapServers, Duration timeout) {
        this(bootstrapServers, timeout, Map.of());
    }

    public TopicAdmin {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(timeout, "timeout");
        clientSettings = Map.copyOf(clientSettings);
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrapServers is blank");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
    }

    /**
     * Makes sure every topic in {@code names} exists, creating missing ones with {@code partitions}
     * partitions, and returns each named topic's actual partition count, in the order given.
     *
     * @throws IllegalArgumentException if partitions &lt; 1 or a name is blank
     * @throws IllegalStateException    if the broker refuses or does not answer in time; the message
     *                                  names the topic and the broker
     */
    public Map<String, Integer> ensureTopics(int partitions, Collection<String> names) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
        Set<String> wanted = new LinkedHashSet<>();
        for (String name : names) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("topic name is blank in " + names);
            }
            wanted.add(name);
        }
        if (wanted.isEmpty()) {
            return Map.of();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(clientConfig())) {
            List<NewTopic> toCreate = new ArrayList<>();
            for (String name : wanted) {
                toCreate.add(new NewTopic(name, Optional.of(partitions), Optional.empty()));
            }
            Map<String, KafkaFuture<Void>> created = admin.createTopics(toCreate).values();
            for (Map.Entry<String, KafkaFuture<Void>> e : created.entrySet()) {
                try {
                    e.getValue().get(remainingMs(deadline), TimeUnit.MILLISECONDS);
                } catch (ExecutionException ex) {
                    if (!(ex.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + e.getKey() + " on " + bootstrapServers
                                + ": " + problem(ex), ex.getCause());
                    }
                }
            }
            Map<String, TopicDescription> described = describeWhenReady(admin, wanted, deadline);
            Map<String, Integer> result = new LinkedHashMap<>();
            for (String name : wanted) {
                result.put(name, described.get(name).partitions().size());
            }
            return result;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe topics " + wanted + " on " + bootstrapServers + ": "
                    + problem(e), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("topics " + wanted + " on " + bootstrapServers + " not ready within "
                    + timeout.toMillis() + " ms" + UNREACHABLE_HINT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics " + wanted, e);
        }
    }

    /**
     * Describes the topics, retrying while the broker answers with a retriable error: just after a
     * restart a broker may not host a partition it is about to load ("does not host this topic-partition").
     */
    private static Map<String, TopicDescription> describeWhenReady(Admin admin, Set<String> names, long deadline)
            throws ExecutionException, InterruptedException, TimeoutException {
        while (true) {
            try {
                return admin.describeTopics(names).allTopicNames().get(remainingMs(deadline), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException) || remainingMs(deadline) <= 100) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    /** The names of the topics that exist now, internal ones excluded. */
    public Set<String> listTopics() {
        try (Admin admin = Admin.create(clientConfig())) {
            return Set.copyOf(admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot list topics on " + bootstrapServers + ": " + problem(e), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("no topic list from " + bootstrapServers + " within " + timeout.toMillis() + " ms"
                    + UNREACHABLE_HINT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing topics on " + bootstrapServers, e);
        }
    }

    private static final String UNREACHABLE_HINT =
            ": is the broker running and reachable, and do the kafka.* client settings (security.protocol, SASL, SSL) match its listener?";

    /**
     * Checks that the brokers answer and that every named topic exists (a command that only reads or
     * writes them would otherwise wait on a missing topic for good).
     *
     * @throws IllegalStateException naming the broker and the missing topics, or why the broker did not answer
     */
    public void requireTopics(Collection<String> names) {
        Set<String> missing = new LinkedHashSet<>(names);
        missing.removeAll(listTopics());
        if (!missing.isEmpty()) {
            throw new IllegalStateException("topic" + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing)
                    + " missing on " + bootstrapServers + " (egopose run and egopose broker create the topics)");
        }
    }

    /** The cause's message; a Kafka time-out (no broker answered) says so and what to check. */
    private String problem(ExecutionException e) {
        if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
            return "no answer within " + timeout.toMillis() + " ms (" + e.getCause().getMessage() + ")" + UNREACHABLE_HINT;
        }
        return e.getCause().getMessage();
    }

    private Properties clientConfig() {
        Properties cfg = new Properties();
        int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        cfg.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        cfg.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(ms));
        cfg.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(Math.min(ms, 30_000)));
        cfg.putAll(clientSettings);
        return cfg;
    }

    private static long remainingMs(long deadlineNanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }
}
