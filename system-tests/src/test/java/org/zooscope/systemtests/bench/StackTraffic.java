package org.zooscope.systemtests.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * What a stretch of the stack's work moved, for the benchmarks: the records written to each Kafka topic (the sum of
 * its partitions' end offsets, so transaction markers count, and the broker's own {@code __transaction_state} and
 * {@code __consumer_offsets} appear) and the bytes the S3 server read and wrote ({@code /proc/<pid>/io}: sockets and
 * files together).
 */
final class StackTraffic {

    private StackTraffic() {
    }

    /** Each topic's records so far (internal topics included), by name. */
    static Map<String, Long> kafkaRecords(String bootstrap) throws IOException {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            var names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (TopicDescription d : admin.describeTopics(names).allTopicNames().get().values()) {
                d.partitions().forEach(pi -> latest.put(new TopicPartition(d.name(), pi.partition()), OffsetSpec.latest()));
            }
            Map<String, Long> out = new TreeMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, o) -> out.merge(tp.topic(), o.offset(), Long::sum));
            return out;
        } catch (ExecutionException e) {
            throw new IOException("could not read Kafka's end offsets at " + bootstrap, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** The S3 server's bytes read and written so far ({@code rchar}, {@code wchar}), or zeros when it is not readable. */
    static long[] s3Bytes(Path runDir) throws IOException {
        Path pidFile = runDir.resolve("s3.pid");
        if (!Files.exists(pidFile)) {
            return new long[2];
        }
        Path io = Path.of("/proc", Files.readString(pidFile).strip(), "io");
        if (!Files.isReadable(io)) {
            return new long[2];
        }
        long[] out = new long[2];
        for (String line : Files.readAllLines(io)) {
            if (line.startsWith("rchar:")) {
                out[0] = Long.parseLong(line.substring(6).strip());
            } else if (line.startsWith("wchar:")) {
                out[1] = Long.parseLong(line.substring(6).strip());
            }
        }
        return out;
    }

    /** {@code after - before} per topic, divided by {@code runs}; topics that moved only. */
    static Map<String, Double> perRun(Map<String, Long> before, Map<String, Long> after, int runs) {
        Map<String, Double> out = new TreeMap<>();
        after.forEach((t, n) -> {
            long d = n - before.getOrDefault(t, 0L);
            if (d > 0) {
                out.put(t, d / (double) runs);
            }
        });
        return out;
    }

    static List<String> lines(Map<String, Double> perRun) {
        return perRun.entrySet().stream().map(e -> String.format(java.util.Locale.ROOT, "%-44s %8.1f", e.getKey(),
                e.getValue())).toList();
    }
}
