package dev.upstreamguard.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.TreeMap;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs {@link DecisionBench} with JMH and prints p50 / p99 / p99.9 per review and cluster size, how p99 at the
 * largest size compares with the smallest (target: within 1.2x), and the Deployment and Service UPDATE decisions in a
 * namespace of 5,000 Services against the ordinary shape of the same size. Usage: {@code DecisionMain quick|full|wide
 * out.md} ({@code wide}: only the namespace of 5,000 Services and its reference, for iterating on it).
 */
public final class DecisionMain {
    private static final String WIDE_PODS = "100000";

    public static void main(String[] args) throws Exception {
        var mode = args.length > 0 ? args[0] : "full";
        boolean quick = mode.equals("quick");
        var out = Path.of(args.length > 1 ? args[1] : "decision.md");
        var results = new ArrayList<RunResult>();
        if (quick) {
            // one JVM, clusters shared between benchmarks: figures to prove the harness, not to quote. The wide shape
            // at its smallest: 5,000 Deployments of 10 pods, all in the reviewed namespace
            results.addAll(new Runner(quick().param("pods", "1000", "3000").param("shape", "spread")
                    .param("review", "deployment-update", "httproute-update").build()).run());
            results.addAll(new Runner(quick().param("pods", "50000").param("shape", "wide")
                    .param("review", "deployment-update").build()).run());
        } else {
            if (mode.equals("full")) {
                results.addAll(new Runner(full().param("shape", "spread").build()).run());
            } else {
                results.addAll(new Runner(full().param("shape", "spread").param("pods", WIDE_PODS)
                        .param("review", "service-update", "deployment-update").build()).run());
            }
            results.addAll(new Runner(full().param("shape", "wide", "wide-shared").param("pods", WIDE_PODS)
                    .param("review", "service-update", "deployment-update").build()).run());
        }

        // shape -> review -> benchmark -> pods -> stats
        var table = new TreeMap<String, TreeMap<String, TreeMap<String, TreeMap<Integer, double[]>>>>();
        for (var r : results) {
            var p = r.getParams();
            var bench = p.getBenchmark().substring(p.getBenchmark().lastIndexOf('.') + 1);
            var s = r.getPrimaryResult().getStatistics();
            table.computeIfAbsent(p.getParam("shape"), k -> new TreeMap<>())
                    .computeIfAbsent(p.getParam("review"), k -> new TreeMap<>()).computeIfAbsent(bench, k -> new TreeMap<>())
                    .put(Integer.parseInt(p.getParam("pods")), new double[] {s.getPercentile(50), s.getPercentile(99),
                            s.getPercentile(99.9), s.getN()});
        }
        var lines = new ArrayList<String>();
        lines.add("| review | path | pods | p50 µs | p99 µs | p99.9 µs | samples |");
        lines.add("|---|---|---:|---:|---:|---:|---:|");
        var flat = new ArrayList<String>();
        var spread = table.getOrDefault("spread", new TreeMap<>());
        spread.forEach((review, benches) -> benches.forEach((bench, bySize) -> {
            bySize.forEach((pods, v) -> lines.add(String.format(Locale.ROOT, "| %s | %s | %,d | %.1f | %.1f | %.1f | %,d |",
                    review, path(bench), pods, v[0], v[1], v[2], (long) v[3])));
            if (bySize.size() > 1) {
                var small = bySize.firstEntry();
                var large = bySize.lastEntry();
                flat.add(String.format(Locale.ROOT, "| %s | %s | %.2f× | %.2f× |", review, path(bench),
                        large.getValue()[0] / small.getValue()[0], large.getValue()[1] / small.getValue()[1]));
            }
        }));
        if (!flat.isEmpty()) {
            lines.add("");
            lines.add("Flatness: p50 and p99 at the largest cluster over the smallest (target for p99: ≤ 1.2×)");
            lines.add("");
            lines.add("| review | path | p50 ratio | p99 ratio |");
            lines.add("|---|---|---:|---:|");
            lines.addAll(flat);
        }
        lines.addAll(wideTable(table));
        var text = String.join("\n", lines) + "\n";
        Files.writeString(out, text);
        System.out.print(text);
    }

    /** One namespace of 5,000 Services against the ordinary shape of the same cluster size. */
    private static List<String> wideTable(Map<String, ? extends Map<String, ? extends Map<String, ? extends Map<Integer, double[]>>>> table) {
        var lines = new ArrayList<String>();
        var shapes = List.of("spread", "wide", "wide-shared");
        if (!table.containsKey("wide")) {
            return lines;
        }
        lines.add("");
        lines.add("One namespace of 5,000 Services (`wide`: each selects `app: <name>`; `wide-shared`: every selector also "
                + "holds `app.kubernetes.io/part-of: shop`, a pair every pod carries, as kustomize's commonLabels puts "
                + "it there) against the ordinary shape (`spread`: 10 Services in the reviewed namespace), same cluster:");
        lines.add("");
        lines.add("| review | path | pods | shape | p50 µs | p99 µs | p99.9 µs | p99 ÷ spread |");
        lines.add("|---|---|---:|---|---:|---:|---:|---:|");
        var wide = table.get("wide");
        wide.forEach((review, benches) -> benches.forEach((bench, bySize) -> bySize.forEach((pods, w) -> {
            var reference = stats(table, "spread", review, bench, pods);
            for (var shape : shapes) {
                var v = stats(table, shape, review, bench, pods);
                if (v == null) {
                    continue;
                }
                lines.add(String.format(Locale.ROOT, "| %s | %s | %,d | %s | %.1f | %.1f | %.1f | %s |", review,
                        path(bench), pods, shape, v[0], v[1], v[2],
                        reference == null ? "" : String.format(Locale.ROOT, "%.2f×", v[1] / reference[1])));
            }
        })));
        return lines;
    }

    private static double[] stats(Map<String, ? extends Map<String, ? extends Map<String, ? extends Map<Integer, double[]>>>> table,
                                  String shape, String review, String bench, int pods) {
        var byReview = table.get(shape);
        if (byReview == null || byReview.get(review) == null || byReview.get(review).get(bench) == null) {
            return null;
        }
        return byReview.get(review).get(bench).get(pods);
    }

    private static String path(String bench) {
        return bench.equals("full") ? "parse+decide+render" : "decide only";
    }

    private static ChainedOptionsBuilder quick() {
        return new OptionsBuilder().shouldFailOnError(true).verbosity(VerboseMode.NORMAL).forks(0)
                .warmupIterations(1).warmupTime(TimeValue.milliseconds(500))
                .measurementIterations(1).measurementTime(TimeValue.milliseconds(500))
                .include(DecisionBench.class.getName() + "\\.full");
    }

    /**
     * A fresh JVM per benchmark and size, a fixed pre-touched heap: GC and JIT state do not carry over. Two forks,
     * samples pooled: what the JIT makes of the code differs from one JVM to the next (the Service decision's p50 was
     * 11 us in one fork and 20 us in another, at the same size), and one fork per size would show that as a size effect.
     */
    private static ChainedOptionsBuilder full() {
        return new OptionsBuilder().shouldFailOnError(true).verbosity(VerboseMode.NORMAL)
                .include(DecisionBench.class.getName() + "\\.(full|decideOnly)").forks(2)
                .jvmArgsAppend("-Xmx3g", "-Xms3g", "-XX:+AlwaysPreTouch", "-Dbench.await-quiet-jit=true")
                .warmupIterations(4).warmupTime(TimeValue.seconds(2))
                .measurementIterations(3).measurementTime(TimeValue.seconds(2));
    }
}
