package org.zooscope.jobstream.assemble;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;

/** The assemblies' I/O threads: S3 reads and writes overlap on them (they wait on the network, not the CPU). */
final class AssemblyIo {
    static final int THREADS = 4;
    static final ExecutorService POOL = Executors.newFixedThreadPool(THREADS, r -> {
        Thread t = new Thread(r, "assembler-io");
        t.setDaemon(true);
        return t;
    });

    private AssemblyIo() {
    }

    /** Runs {@code work} for 0..n-1 on the I/O threads, results in order; the first failure is rethrown as is. */
    static <T> List<T> inParallel(int n, IntFunction<T> work) {
        List<CompletableFuture<T>> futures = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            final int index = i;
            futures.add(CompletableFuture.supplyAsync(() -> work.apply(index), POOL));
        }
        return joinAll(futures);
    }

    static void run(Runnable work, List<CompletableFuture<?>> into) {
        into.add(CompletableFuture.runAsync(work, POOL));
    }

    static <T> List<T> joinAll(List<? extends CompletableFuture<? extends T>> futures) {
        List<T> out = new ArrayList<>(futures.size());
        for (CompletableFuture<? extends T> f : futures) {
            try {
                out.add(f.join());
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r; // keeps its type, so the one retriable-vs-fatal decision still sees it
                }
                throw e;
            }
        }
        return out;
    }
}
