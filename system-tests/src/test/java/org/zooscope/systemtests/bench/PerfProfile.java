package org.zooscope.systemtests.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where each process of the local stack spends its CPU during a benchmark, all of it: Linux {@code perf} samples every
 * thread of every process named by {@code var/run/*.pid} (and their children) on the CPU clock, {@link #HZ} times a
 * second, whatever it runs — Java code, the JIT compilers, the garbage collector, ONNX Runtime's native threads, the
 * kernel on the process's behalf. This is what JFR cannot see ({@link CpuProfile}: most of the CPU fell outside its
 * samples). Java code is named through each JVM's own map of its compiled code ({@code jcmd <pid> Compiler.perfmap},
 * written to {@code /tmp/perf-<pid>.map} after the runs). Only the sampled instruction is kept (no call stacks: the JIT's
 * code keeps no frame pointers), so a row says what ran, not who asked for it; the thread it ran on says more
 * ({@link #threadGroup}).
 */
final class PerfProfile {
    /** Samples per second of CPU time: each sample stands for 1/HZ CPU-seconds. */
    static final int HZ = 499;

    private final Path runDir;
    private final Path data;
    private final int runs;
    private final Process perf;
    private final Map<Long, String> serviceOf;

    private PerfProfile(Path runDir, Path data, int runs, Process perf, Map<Long, String> serviceOf) {
        this.runDir = runDir;
        this.data = data;
        this.runs = runs;
        this.perf = perf;
        this.serviceOf = serviceOf;
    }

    /** Starts {@code perf record} on every process of the stack, for {@code runs} previews (the samples are divided by it). */
    static PerfProfile start(Path runDir, Path outDir, int runs) throws Exception {
        Files.createDirectories(outDir);
        Map<Long, String> serviceOf = StackProcesses.serviceOfEachProcess(runDir);
        if (serviceOf.isEmpty()) {
            throw new IllegalStateException("no process of the stack found under " + runDir + ": is it up?");
        }
        Path data = outDir.resolve("perf.data").toAbsolutePath();
        String pids = String.join(",", serviceOf.keySet().stream().map(String::valueOf).toList());
        Process perf = new ProcessBuilder("perf", "record", "-q", "-F", String.valueOf(HZ), "-e", "cpu-clock", "-p", pids,
                "-o", data.toString()).redirectErrorStream(true).redirectOutput(outDir.resolve("perf-record.log").toFile())
                .start();
        Thread.sleep(500); // perf attaches to every thread before the first run
        if (!perf.isAlive()) {
            throw new IllegalStateException("perf record did not start: " + Files.readString(outDir.resolve("perf-record.log")));
        }
        return new PerfProfile(runDir, data, runs, perf, serviceOf);
    }

    /** Stops the recording (perf writes its file on SIGINT) and has every JVM write the map of its compiled code. */
    void stop() throws Exception {
        new ProcessBuilder("kill", "-INT", String.valueOf(perf.pid())).start().waitFor();
        perf.waitFor();
        for (Long pid : serviceOf.keySet()) {
            // a process that is not a JVM (or another user's) answers with an error: its Java rows stay unnamed
            new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), String.valueOf(pid),
                    "Compiler.perfmap").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                    .waitFor();
        }
    }

    /** Prints, per process, CPU-seconds per preview by what ran and by thread, beside {@code /proc}'s CPU-seconds. */
    void print(Map<String, Double> cpuPerRun) throws Exception {
        Map<String, Map<String, Long>> byCode = new TreeMap<>();
        Map<String, Map<String, Long>> byThread = new TreeMap<>();
        Process script = new ProcessBuilder("perf", "script", "-i", data.toString(), "-F", "comm,pid,ip,sym,dso")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(script.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                Sample s = Sample.parse(line);
                if (s == null) {
                    continue;
                }
                String service = serviceOf.getOrDefault(s.pid(), "other");
                byCode.computeIfAbsent(service, k -> new HashMap<>()).merge(category(s), 1L, Long::sum);
                byThread.computeIfAbsent(service, k -> new HashMap<>()).merge(threadGroup(s.comm()), 1L, Long::sum);
            }
        }
        script.waitFor();
        System.out.printf("%nWhere the CPU goes, per preview (perf, %d samples per CPU-second on every thread; %s)%n", HZ,
                data);
        for (String service : byCode.keySet()) {
            double sampled = byCode.get(service).values().stream().mapToLong(Long::longValue).sum() / (double) HZ / runs;
            System.out.printf(Locale.ROOT, "%-20s %6.2f CPU-s sampled (%.2f by /proc)%n", service, sampled,
                    cpuPerRun.getOrDefault(service, 0.0));
            System.out.println("    by what ran:");
            rows(byCode.get(service));
            System.out.println("    by thread:");
            rows(byThread.get(service));
        }
    }

    private void rows(Map<String, Long> counts) {
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        long shown = 0;
        List<Map.Entry<String, Long>> sorted = counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).toList();
        for (Map.Entry<String, Long> e : sorted.subList(0, Math.min(10, sorted.size()))) {
            System.out.printf(Locale.ROOT, "        %-56s %6.2f%n", e.getKey(), e.getValue() / (double) HZ / runs);
            shown += e.getValue();
        }
        if (total > shown) {
            System.out.printf(Locale.ROOT, "        %-56s %6.2f%n", "(the rest)", (total - shown) / (double) HZ / runs);
        }
    }

    /** One sample of {@code perf script -F comm,pid,ip,sym,dso}: its thread's name, process, symbol and library. */
    record Sample(String comm, long pid, String sym, String dso) {
        static Sample parse(String line) {
            // " <comm, may hold spaces>  <pid>  <ip> <sym, may hold spaces and parentheses> (<dso>)"
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\s*(.+?)\\s+(\\d+)\\s+([0-9a-f]+)\\s+(.*)$")
                    .matcher(line);
            if (!m.matches()) {
                return null;
            }
            String rest = m.group(4);
            int open = rest.lastIndexOf(" (");
            if (open < 0 || !rest.endsWith(")")) {
                return new Sample(m.group(1).strip(), Long.parseLong(m.group(2)), rest.strip(), "");
            }
            return new Sample(m.group(1).strip(), Long.parseLong(m.group(2)), rest.substring(0, open).strip(),
                    rest.substring(open + 2, rest.length() - 1));
        }
    }

    /** What a sample ran: the thread's job where the thread says it (compiler, GC), else its code. */
    static String category(Sample s) {
        String comm = s.comm();
        if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
            return "JIT compiler";
        }
        if (comm.startsWith("GC Thread") || comm.startsWith("G1 ") || comm.equals("VM Thread")) {
            return "garbage collection and VM operations";
        }
        String dso = s.dso();
        String lib = dso.substring(dso.lastIndexOf('/') + 1);
        if (dso.equals("[kernel.kallsyms]")) {
            return "kernel (system calls: network, files, scheduling)";
        }
        if (lib.startsWith("perf-") && lib.endsWith(".map")) {
            return javaCode(s.sym());
        }
        if (lib.contains("onnxruntime")) {
            return "ONNX Runtime (native)";
        }
        if (lib.startsWith("libz")) {
            return "zlib (Deflate for PNG, zip)";
        }
        if (lib.contains("rocksdb")) {
            return "RocksDB (state stores, native)";
        }
        if (lib.startsWith("libjvm")) {
            return "JVM runtime (interpreter, runtime calls, class loading)";
        }
        if (lib.startsWith("libc.") || lib.startsWith("libpthread")) {
            return "libc (memory copies, locks, system call wrappers)";
        }
        return lib.isEmpty() ? "(unknown)" : lib;
    }

    /**
     * A compiled Java method's row, named by its class as {@link CpuProfile#bucket} names frames; a stub of the
     * JVM's (array copies, the interpreter) or code the map no longer holds apart.
     */
    static String javaCode(String sym) {
        if (sym.equals("[unknown]")) {
            return "Java: code not in the map (interpreted, or recompiled since)";
        }
        int paren = sym.indexOf('(');
        int space = sym.indexOf(' ');
        String method = paren < 0 || space < 0 || space > paren ? "" : sym.substring(space + 1, paren);
        if (!method.contains(".")) {
            // "<return type> <class>.<method>(<parameters>)" is a method; anything else is one of the JVM's stubs
            return "JVM stubs (" + sym.replaceAll("\\s*\\(.*", "") + ")";
        }
        int dot = method.lastIndexOf('.');
        String cls = dot < 0 ? method : method.substring(0, dot);
        return "Java: " + CpuProfile.bucketOfClass(cls);
    }

    /** A thread's name without its numbers, so a pool's threads make one row. */
    static String threadGroup(String comm) {
        String g = comm.replaceAll("[0-9]+", "#").replaceAll("#(-#)+", "#");
        return g.isBlank() ? "(unnamed)" : g;
    }
}
