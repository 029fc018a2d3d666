package dev.upstreamguard.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Locale;
import java.util.TreeMap;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs {@link DecisionBench} with JMH and prints p50 / p99 / p99.9 per review and cluster size, and how p99 at the
 * largest size compares with the smallest (target: within 1.2x). Usage: {@code DecisionMain quick|full out.md}.
 */
public final class DecisionMain {
    public static void main(String[] args) throws Exception {
        boolean quick = args.length > 0 && args[0].equals("quick");
        var out = Path.of(args.length > 1 ? args[1] : "decision.md");
        var opts = new OptionsBuilder().shouldFailOnError(true).verbosity(VerboseMode.NORMAL);
        if (quick) {
            // one JVM, clusters shared between benchmarks: figures to prove the harness, not to quote
            opts.forks(0).warmupIterations(1).warmupTime(TimeValue.milliseconds(500))
                    .measurementIterations(1).measurementTime(TimeValue.milliseconds(500))
                    .param("pods", "1000", "3000").param("review", "deployment-update")
                    .include(DecisionBench.class.getName() + "\\.full");
        } else {
            // a fresh JVM per benchmark and size, a fixed pre-touched heap: GC and JIT state do not carry over. Two forks,
            // samples pooled: what the JIT makes of the code differs from one JVM to the next (the Service decision's
            // p50 was 11 us in one fork and 20 us in another, at the same size), and one fork per size would show that
            // as a size effect
            opts.include(DecisionBench.class.getName() + "\\.(full|decideOnly)").forks(2)
                    .jvmArgsAppend("-Xmx3g", "-Xms3g", "-XX:+AlwaysPreTouch", "-Dbench.await-quiet-jit=true")
                    .warmupIterations(4).warmupTime(TimeValue.seconds(2))
                    .measurementIterations(3).measurementTime(TimeValue.seconds(2));
        }
        Collection<RunResult> results = new Runner(opts.build()).run();

        // review -> benchmark -> pods -> stats
        var table = new TreeMap<String, TreeMap<String, TreeMap<Integer, double[]>>>();
        for (var r : results) {
            var p = r.getParams();
            var bench = p.getBenchmark().substring(p.getBenchmark().lastIndexOf('.') + 1);
            var s = r.getPrimaryResult().getStatistics();
            table.computeIfAbsent(p.getParam("review"), k -> new TreeMap<>()).computeIfAbsent(bench, k -> new TreeMap<>())
                    .put(Integer.parseInt(p.getParam("pods")), new double[] {s.getPercentile(50), s.getPercentile(99),
                            s.getPercentile(99.9), s.getN()});
        }
        var lines = new ArrayList<String>();
        lines.add("| review | path | pods | p50 µs | p99 µs | p99.9 µs | samples |");
        lines.add("|---|---|---:|---:|---:|---:|---:|");
        var flat = new ArrayList<String>();
        table.forEach((review, benches) -> benches.forEach((bench, bySize) -> {
            bySize.forEach((pods, v) -> lines.add(String.format(Locale.ROOT, "| %s | %s | %,d | %.1f | %.1f | %.1f | %,d |",
                    review, bench.equals("full") ? "parse+decide+render" : "decide only", pods, v[0], v[1], v[2], (long) v[3])));
            if (bySize.size() > 1) {
                var small = bySize.firstEntry();
                var large = bySize.lastEntry();
                flat.add(String.format(Locale.ROOT, "| %s | %s | %.2f× | %.2f× |", review,
                        bench.equals("full") ? "parse+decide+render" : "decide only",
                        large.getValue()[0] / small.getValue()[0], large.getValue()[1] / small.getValue()[1]));
            }
        }));
        lines.add("");
        lines.add("Flatness: " + "p50 and p99 at the largest cluster over the smallest (target for p99: ≤ 1.2×)");
        lines.add("");
        lines.add("| review | path | p50 ratio | p99 ratio |");
        lines.add("|---|---|---:|---:|");
        lines.addAll(flat);
        var text = String.join("\n", lines) + "\n";
        Files.writeString(out, text);
        System.out.print(text);
    }
}
