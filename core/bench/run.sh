#!/usr/bin/env bash
# Runs the core JMH benchmarks (reading, enhancement, tile/stitch) on a 1024 x 1024 x 10 stack built from the real
# SBEM slices ../shared/data/cdeep3m-mito/training/images/images.010..019.png. Not part of `mvn verify`.
#
#   core/bench/run.sh                      # all benchmarks, with the GC profiler (bytes allocated per op)
#   core/bench/run.sh EnhanceBenchmark     # any JMH arguments: a regex, -p threads=2, -f 1, -wi 1 ...
#   core/bench/run.sh --cpu                # process CPU time per op instead (for a loaded machine)
#   ZOOSCOPE_BENCH_DATA=/path/to/data core/bench/run.sh
#
# Every benchmark processes the whole stack once per op: Mpx/s = 10.486 / (ms/op / 1000), B/px =
# gc.alloc.rate.norm / 10485760.
set -euo pipefail
cd "$(dirname "$0")/../.."                       # repository root
DATA="${ZOOSCOPE_BENCH_DATA:-../shared/data}"
MVN_OFFLINE="${MVN_OFFLINE:-}"                  # set to -o once the JMH jars are in ~/.m2
mvn -B -q $MVN_OFFLINE -pl core -Pbench -DskipTests compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
CP="core/target/classes:$(cat core/target/bench.cp)"
OUT=core/target/bench-classes
rm -rf "$OUT" && mkdir -p "$OUT"
javac -d "$OUT" -cp "$CP" $(find core/src/bench/java -name '*.java')
if [ "${1:-}" = "--cpu" ]; then
  exec java -Xmx3g -Dzooscope.bench.data="$DATA" -cp "$OUT:$CP" org.zooscope.core.bench.CpuReport
fi
if [ "$#" -eq 0 ]; then set -- -prof gc; fi
exec java -Dzooscope.bench.data="$DATA" -cp "$OUT:$CP" org.openjdk.jmh.Main -jvmArgsAppend "-Dzooscope.bench.data=$DATA" "$@"
