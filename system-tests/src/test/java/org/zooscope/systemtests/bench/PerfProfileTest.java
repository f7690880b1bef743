package org.zooscope.systemtests.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PerfProfileTest {

    @Test
    void aLineOfPerfScriptGivesItsThreadProcessSymbolAndLibrary() {
        PerfProfile.Sample s = PerfProfile.Sample.parse(" C2 CompilerThre  6682      7fa0757fbcf4 "
                + "double org.zooscope.core.enhance.TvDenoise.formRow(float[], int, int) (/tmp/perf-6682.map)");
        assertThat(s).isEqualTo(new PerfProfile.Sample("C2 CompilerThre", 6682,
                "double org.zooscope.core.enhance.TvDenoise.formRow(float[], int, int)", "/tmp/perf-6682.map"));
        assertThat(PerfProfile.Sample.parse("garbage")).isNull();
    }

    @Test
    void eachSampleFallsInTheRowOfWhatRan() {
        assertThat(category("C2 CompilerThre", "foo", "/usr/lib/jvm/lib/server/libjvm.so")).isEqualTo("JIT compiler");
        assertThat(category("VM Thread", "foo", "libjvm.so")).startsWith("garbage collection");
        assertThat(category("pool-1-thread-1", "tcp_sendmsg", "[kernel.kallsyms]")).startsWith("kernel");
        assertThat(category("java", "MlasSgemm", "/x/libonnxruntime.so")).isEqualTo("ONNX Runtime (native)");
        assertThat(category("StreamThread", "deflate_slow", "/usr/lib/x86_64-linux-gnu/libz.so.1.2.13")).startsWith("zlib");
        assertThat(category("x", "void org.zooscope.core.tiling.Stitcher.add(float[], int)", "/tmp/perf-1.map"))
                .isEqualTo("Java: core.tiling.Stitcher");
        assertThat(category("x", "void org.apache.kafka.common.record.DefaultRecord.writeTo(java.io.DataOutputStream)",
                "/tmp/perf-1.map")).isEqualTo("Java: Kafka: record batches");
        assertThat(category("x", "StubRoutines (1)", "/tmp/perf-1.map")).isEqualTo("JVM stubs (StubRoutines)");
        assertThat(category("x", "[unknown]", "/tmp/perf-1.map")).startsWith("Java: code not in the map");
    }

    @Test
    void aPoolsThreadsMakeOneRow() {
        assertThat(PerfProfile.threadGroup("GC Thread#1")).isEqualTo(PerfProfile.threadGroup("GC Thread#0"));
        assertThat(PerfProfile.threadGroup("pool-3-thread-12")).isEqualTo("pool-#-thread-#");
    }

    private static String category(String comm, String sym, String dso) {
        return PerfProfile.category(new PerfProfile.Sample(comm, 1, sym, dso));
    }
}
