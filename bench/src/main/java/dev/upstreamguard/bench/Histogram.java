package dev.upstreamguard.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import javax.management.ObjectName;

/**
 * Class histograms of this JVM's heap ({@code jcmd <pid> GC.class_histogram}, through the DiagnosticCommand MBean),
 * and what grew between two of them: where the bytes of a kind go.
 */
final class Histogram {
    private Histogram() {
    }

    /** Class name -> {instances, bytes}, of live objects (the command runs a full GC first). */
    static Map<String, long[]> take() throws Exception {
        var server = ManagementFactory.getPlatformMBeanServer();
        var text = (String) server.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                "gcClassHistogram", new Object[] {new String[0]}, new String[] {String[].class.getName()});
        var out = new HashMap<String, long[]>();
        for (var line : text.split("\n")) {
            var f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":")) {
                out.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
            }
        }
        return out;
    }

    /** A markdown table of the {@code top} classes whose bytes grew most from {@code before} to {@code after}. */
    static String delta(String title, Map<String, long[]> before, Map<String, long[]> after, int top) {
        var rows = new ArrayList<Map.Entry<String, long[]>>();
        long total = 0;
        for (var e : after.entrySet()) {
            var b = before.getOrDefault(e.getKey(), new long[2]);
            long instances = e.getValue()[0] - b[0], bytes = e.getValue()[1] - b[1];
            total += bytes;
            if (bytes > 0) {
                rows.add(Map.entry(e.getKey(), new long[] {instances, bytes}));
            }
        }
        rows.sort((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]));
        var sb = new StringBuilder(String.format(Locale.ROOT, "%s (%.1f MiB in all):%n%n", title, total / 1048576.0));
        sb.append("| class | instances | bytes |\n|---|---:|---:|\n");
        for (var r : rows.subList(0, Math.min(top, rows.size()))) {
            sb.append(String.format(Locale.ROOT, "| %s | %,d | %,d |%n", r.getKey(), r.getValue()[0], r.getValue()[1]));
        }
        return sb.append('\n').toString();
    }
}
