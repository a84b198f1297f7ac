package io.tally.collectors.queue.kafka;

import io.tally.collectors.core.catalog.RedactedUrl;
import io.tally.collectors.core.http.Deadline;
import io.tally.collectors.queue.BrokerClient;
import io.tally.collectors.queue.BrokerException;
import io.tally.collectors.queue.PartitionOffsets;
import io.tally.collectors.queue.QueueReading;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Kafka through the kafka-clients Admin API. {@code TOPIC:GROUP}: the group's lag (sum over
 * partitions of log end minus committed offset), its members, and the offsets for the Burrow-style
 * verdict and rates; {@code TOPIC} alone: the messages the topic holds (log end minus log start).
 * Each read is four batched requests for all queues at once (topics, earliest and latest offsets,
 * group offsets and descriptions), every wait bounded by what is left of the read's timeout.
 * The Admin client's own retries stop at that timeout; {@code QueueSource} reconnects and counts.
 */
final class KafkaBrokerClient implements BrokerClient {
    private final RedactedUrl uri;
    private final String clientId;
    private final Map<String, String> properties;
    private final KafkaSecrets secrets;
    private volatile Admin admin;

    KafkaBrokerClient(RedactedUrl uri, String clientId, Map<String, String> properties) {
        this.uri = uri;
        this.clientId = clientId;
        this.properties = Map.copyOf(properties);
        this.secrets = new KafkaSecrets(uri, properties);
    }

    @Override
    public String broker() {
        return "kafka";
    }

    @Override
    public void connect(Duration timeout) throws BrokerException, InterruptedException {
        close();
        Admin created;
        try {
            created = Admin.create(KafkaSecrets.clientProperties(uri, clientId, properties, timeout));
        } catch (RuntimeException e) {
            // A bad property (a malformed JAAS line, an unknown protocol): the message names the key, not its value.
            throw new BrokerException("protocol", "cannot create a Kafka client for " + uri + ": "
                    + secrets.scrub(String.valueOf(e.getMessage())));
        }
        admin = created;
        try {
            await(created.describeCluster(new DescribeClusterOptions().timeoutMs(millis(timeout))).clusterId(),
                    Deadline.after(timeout), "describe cluster");
        } catch (BrokerException e) {
            close();
            throw new BrokerException(e.kind().equals("auth") ? "auth" : "connect",
                    "cannot connect to " + uri + ": " + e.getMessage());
        }
    }

    @Override
    public boolean isConnected() {
        return admin != null;
    }

    @Override
    public List<QueueReading> read(List<String> queues, Duration timeout) throws BrokerException, InterruptedException {
        Admin client = requireAdmin();
        Deadline deadline = Deadline.after(timeout);
        Set<String> topics = new LinkedHashSet<>();
        Map<String, Set<String>> topicsByGroup = new LinkedHashMap<>();
        for (String queue : queues) {
            Name name = Name.of(queue);
            topics.add(name.topic());
            if (name.group() != null) {
                topicsByGroup.computeIfAbsent(name.group(), g -> new LinkedHashSet<>()).add(name.topic());
            }
        }
        Map<String, Integer> partitions = partitions(client, topics, deadline);

        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach((topic, count) -> {
            for (int p = 0; p < count; p++) {
                earliest.put(new TopicPartition(topic, p), OffsetSpec.earliest());
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
        });
        // Sent together, awaited in turn: the four requests share the read's one deadline.
        ListOffsetsResult starts = client.listOffsets(earliest, new ListOffsetsOptions().timeoutMs(remaining(deadline)));
        ListOffsetsResult ends = client.listOffsets(latest, new ListOffsetsOptions().timeoutMs(remaining(deadline)));
        Map<String, ListConsumerGroupOffsetsSpec> specs = new LinkedHashMap<>();
        topicsByGroup.forEach((group, groupTopics) -> {
            List<TopicPartition> wanted = new ArrayList<>();
            for (String topic : groupTopics) {
                for (int p = 0; p < partitions.getOrDefault(topic, 0); p++) {
                    wanted.add(new TopicPartition(topic, p));
                }
            }
            // A group only on topics that do not exist has nothing to ask (an empty list would mean "all").
            if (!wanted.isEmpty()) {
                specs.put(group, new ListConsumerGroupOffsetsSpec().topicPartitions(wanted));
            }
        });
        Map<String, KafkaFuture<Map<TopicPartition, OffsetAndMetadata>>> committed = new HashMap<>();
        Map<String, KafkaFuture<ConsumerGroupDescription>> described = Map.of();
        if (!specs.isEmpty()) {
            var offsets = client.listConsumerGroupOffsets(specs,
                    new ListConsumerGroupOffsetsOptions().timeoutMs(remaining(deadline)));
            for (String group : specs.keySet()) {
                committed.put(group, offsets.partitionsToOffsetAndMetadata(group));
            }
            described = client.describeConsumerGroups(specs.keySet(),
                    new DescribeConsumerGroupsOptions().timeoutMs(remaining(deadline))).describedGroups();
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> startOffsets =
                await(starts.all(), deadline, "list earliest offsets");
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> endOffsets =
                await(ends.all(), deadline, "list latest offsets");
        Map<String, Map<TopicPartition, OffsetAndMetadata>> groupOffsets = new HashMap<>();
        Map<String, Integer> members = new HashMap<>();
        for (String group : specs.keySet()) {
            groupOffsets.put(group, orEmpty(committed.get(group), deadline, "list offsets of group '" + group + "'"));
            ConsumerGroupDescription description = orNull(described.get(group), deadline,
                    "describe group '" + group + "'");
            members.put(group, description == null ? 0 : description.members().size());
        }

        List<QueueReading> out = new ArrayList<>(queues.size());
        for (String queue : queues) {
            Name name = Name.of(queue);
            Integer count = partitions.get(name.topic());
            if (count == null) {
                out.add(new QueueReading(queue, false, 0, null, null, null, null));
                continue;
            }
            long[] logStart = new long[count];
            long[] logEnd = new long[count];
            long[] position = new long[count];
            Map<TopicPartition, OffsetAndMetadata> groupCommitted =
                    name.group() == null ? Map.of() : groupOffsets.getOrDefault(name.group(), Map.of());
            for (int p = 0; p < count; p++) {
                TopicPartition tp = new TopicPartition(name.topic(), p);
                logStart[p] = offset(startOffsets.get(tp));
                logEnd[p] = offset(endOffsets.get(tp));
                OffsetAndMetadata c = groupCommitted.get(tp);
                position[p] = c == null ? -1 : c.offset();
            }
            PartitionOffsets offsets = new PartitionOffsets(logStart, logEnd, position, name.group() != null);
            long depth = offsets.totalLag();
            if (name.group() == null) {
                out.add(new QueueReading(queue, true, depth, null, null, null, null, offsets));
            } else {
                out.add(new QueueReading(queue, true, depth, members.getOrDefault(name.group(), 0), null, depth, null,
                        offsets));
            }
        }
        return out;
    }

    @Override
    public List<String> list(String glob, Duration timeout) throws BrokerException, InterruptedException {
        Admin client = requireAdmin();
        Name name = Name.of(glob);
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + name.topic());
        Set<String> all = await(client.listTopics(new ListTopicsOptions().timeoutMs(millis(timeout)).listInternal(false))
                .names(), Deadline.after(timeout), "list topics");
        List<String> names = new ArrayList<>();
        for (String topic : all) {
            if (matcher.matches(Path.of(topic))) {
                names.add(name.group() == null ? topic : topic + ":" + name.group());
            }
        }
        names.sort(null);
        return names;
    }

    /** Closing the Admin client fails every call in flight at once; it is safe from any thread. */
    @Override
    public void abort() {
        Admin open = admin;
        if (open != null) {
            open.close(Duration.ZERO);
        }
    }

    @Override
    public void close() {
        Admin open = admin;
        admin = null;
        if (open != null) {
            open.close(Duration.ZERO);
        }
    }

    private Admin requireAdmin() throws BrokerException {
        Admin client = admin;
        if (client == null) {
            throw new BrokerException("connect", "connection to " + uri + " closed");
        }
        return client;
    }

    /** Partition counts of the topics that exist; a topic that does not is left out. */
    private Map<String, Integer> partitions(Admin client, Set<String> topics, Deadline deadline)
            throws BrokerException, InterruptedException {
        Map<String, KafkaFuture<TopicDescription>> described = client.describeTopics(topics,
                new DescribeTopicsOptions().timeoutMs(remaining(deadline))).topicNameValues();
        Map<String, Integer> out = new HashMap<>();
        for (String topic : topics) {
            TopicDescription description = orNull(described.get(topic), deadline, "describe topic '" + topic + "'");
            if (description != null) {
                out.put(topic, description.partitions().size());
            }
        }
        return out;
    }

    private static long offset(ListOffsetsResult.ListOffsetsResultInfo info) {
        return info == null || info.offset() < 0 ? 0 : info.offset();
    }

    /** The result, or null where the broker says the topic or group does not exist. */
    private <T> T orNull(KafkaFuture<T> future, Deadline deadline, String what)
            throws BrokerException, InterruptedException {
        return await(future, deadline, what, true);
    }

    private Map<TopicPartition, OffsetAndMetadata> orEmpty(KafkaFuture<Map<TopicPartition, OffsetAndMetadata>> future,
                                                          Deadline deadline, String what)
            throws BrokerException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> offsets = orNull(future, deadline, what);
        return offsets == null ? Map.of() : offsets;
    }

    private <T> T await(KafkaFuture<T> future, Deadline deadline, String what)
            throws BrokerException, InterruptedException {
        return await(future, deadline, what, false);
    }

    private <T> T await(KafkaFuture<T> future, Deadline deadline, String what, boolean missingAsNull)
            throws BrokerException, InterruptedException {
        try {
            return future.get(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new BrokerException("timeout", what + " took longer than " + deadline.budget().toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (missingAsNull && (cause instanceof UnknownTopicOrPartitionException
                    || cause instanceof GroupIdNotFoundException)) {
                return null;
            }
            String text = secrets.scrub(cause.getClass().getSimpleName() + ": " + cause.getMessage());
            if (cause instanceof AuthenticationException || cause instanceof AuthorizationException) {
                throw new BrokerException("auth", what + " refused: " + text);
            }
            if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw new BrokerException("timeout", what + " failed: " + text);
            }
            throw new BrokerException("protocol", what + " failed: " + text);
        }
    }

    private static int remaining(Deadline deadline) {
        return millis(deadline.remaining());
    }

    private static int millis(Duration duration) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, duration.toMillis()));
    }

    /** {@code TOPIC} or {@code TOPIC:GROUP}: a topic name cannot hold ':', a group id can. */
    private record Name(String topic, String group) {
        static Name of(String queue) {
            int colon = queue.indexOf(':');
            return colon < 0 ? new Name(queue, null) : new Name(queue.substring(0, colon), queue.substring(colon + 1));
        }
    }
}
