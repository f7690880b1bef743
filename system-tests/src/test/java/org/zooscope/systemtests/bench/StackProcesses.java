package org.zooscope.systemtests.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What each process of the local stack uses, for the benchmarks: CPU time from {@code /proc/<pid>/stat} (user +
 * system, the process and every descendant, e.g. OpenSearch under its wrapper) and resident memory from
 * {@code /proc/<pid>/status}. The stack's PID files are {@code var/run/<name>.pid}.
 */
final class StackProcesses {
    /** Linux's USER_HZ: 100 on every kernel this runs on (getconf CLK_TCK). */
    private static final double TICKS_PER_SECOND = 100;

    private StackProcesses() {
    }

    /** CPU-seconds used so far by each named process of the stack, by name (e.g. {@code gpu-worker}). */
    static Map<String, Double> snapshot(Path runDir) throws IOException {
        Map<Long, Long> parents = new HashMap<>();
        Map<Long, Long> ticks = new HashMap<>();
        scan(parents, ticks);
        Map<String, Double> out = new TreeMap<>();
        if (!Files.isDirectory(runDir)) {
            return out;
        }
        try (Stream<Path> pids = Files.list(runDir)) {
            for (Path f : (Iterable<Path>) pids::iterator) {
                String file = f.getFileName().toString();
                if (!file.endsWith(".pid")) {
                    continue;
                }
                long root = Long.parseLong(Files.readString(f).strip());
                long sum = 0;
                for (long pid : descendants(root, parents)) {
                    sum += ticks.getOrDefault(pid, 0L);
                }
                out.put(file.substring(0, file.length() - 4), sum / TICKS_PER_SECOND);
            }
        }
        return out;
    }

    /** Every process of the stack and its descendants (e.g. OpenSearch under its wrapper), each with its service's name. */
    static Map<Long, String> serviceOfEachProcess(Path runDir) throws IOException {
        Map<Long, Long> parents = new HashMap<>();
        scan(parents, new HashMap<>());
        Map<Long, String> out = new java.util.LinkedHashMap<>();
        try (Stream<Path> files = Files.list(runDir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".pid")).sorted().toList()) {
                String service = f.getFileName().toString().replaceFirst("\\.pid$", "");
                long root = Long.parseLong(Files.readString(f).strip());
                if (parents.containsKey(root)) {
                    descendants(root, parents).forEach(pid -> out.put(pid, service));
                }
            }
        }
        return out;
    }

    /** Each running process's parent and CPU ticks (user + system) from {@code /proc/<pid>/stat}. */
    private static void scan(Map<Long, Long> parents, Map<Long, Long> ticks) throws IOException {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    // fields after the command name, which may hold spaces and parentheses
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long pid = Long.parseLong(name);
                    parents.put(pid, Long.parseLong(f[1]));
                    ticks.put(pid, Long.parseLong(f[11]) + Long.parseLong(f[12]));
                } catch (IOException | RuntimeException gone) {
                    // the process ended while being read
                }
            }
        }
    }

    private static List<Long> descendants(long root, Map<Long, Long> parents) {
        List<Long> all = new ArrayList<>(List.of(root));
        for (int i = 0; i < all.size(); i++) {
            long p = all.get(i);
            parents.forEach((pid, parent) -> {
                if (parent == p) {
                    all.add(pid);
                }
            });
        }
        return all;
    }

    /** Service name → resident KiB, for each PID file whose process is alive. */
    static Map<String, Long> rss(Path runDir) {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        try (Stream<Path> pids = Files.list(runDir)) {
            for (Path f : pids.filter(p -> p.toString().endsWith(".pid")).toList()) {
                String name = f.getFileName().toString().replace(".pid", "");
                try {
                    String pid = Files.readString(f).strip();
                    for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                        if (line.startsWith("VmRSS:")) {
                            out.put(name, Long.parseLong(line.replaceAll("[^0-9]", "")));
                        }
                    }
                } catch (IOException | NumberFormatException e) {
                    // not running (any more): nothing to sample
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }
}
