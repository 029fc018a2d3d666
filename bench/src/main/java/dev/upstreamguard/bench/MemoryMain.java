package dev.upstreamguard.bench;

import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.upstreamguard.cluster.ClusterIndex;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Heap retained per cached pod: the pods of a 10k-pod {@link SyntheticCluster}, each parsed from its own JSON (as
 * an informer receives them: no strings shared between pods), first put into a {@link ClusterIndex} and dropped
 * (what the guard keeps: the reduced record and its label index entries), then kept whole in a plain list (what a
 * full pod cache keeps). Used heap is read after repeated full GCs.
 */
public final class MemoryMain {
    public static void main(String[] args) throws Exception {
        int pods = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        var json = new KubernetesSerialization();
        var bodies = new ArrayList<byte[]>();
        new SyntheticCluster(pods).forEach(true, o -> {
            if (o instanceof Pod) {
                bodies.add(json.asJson(o).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        });
        long avgJson = bodies.stream().mapToLong(b -> b.length).sum() / bodies.size();
        // warm the parser and the index code so their classes and caches are in the baseline
        var warm = new ClusterIndex();
        for (int i = 0; i < Math.min(200, bodies.size()); i++) {
            warm.put(parse(json, bodies.get(i)));
        }
        warm = null;

        long base = usedAfterGc();
        var index = new ClusterIndex();
        for (var b : bodies) {
            index.put(parse(json, b));
        }
        long withIndex = usedAfterGc();
        List<Pod> full = new ArrayList<>(bodies.size());
        for (var b : bodies) {
            full.add(parse(json, b));
        }
        long withFull = usedAfterGc();
        Reference.reachabilityFence(index);
        Reference.reachabilityFence(full);

        int n = bodies.size();
        double reduced = (withIndex - base) / (double) n;
        double whole = (withFull - withIndex) / (double) n;
        var text = String.format(Locale.ROOT, """
                | cache | pods | heap retained | per pod |
                |---|---:|---:|---:|
                | ClusterIndex (reduced PodSource + label index) | %,d | %.1f MiB | %.2f KiB |
                | full fabric8 Pod objects in a list | %,d | %.1f MiB | %.2f KiB |

                Reduced is %.1f× smaller than a full pod cache (targets: ≤ 2.5 KiB per pod, ≥ 14×). \
                Pods as sent by the API server average %,d bytes of JSON (managedFields, 2 containers with env, \
                resources, probes, status with conditions and containerStatuses).
                """, n, (withIndex - base) / 1048576.0, reduced / 1024, n, (withFull - withIndex) / 1048576.0,
                whole / 1024, whole / reduced, avgJson);
        System.out.print(text);
        if (args.length > 1) {
            java.nio.file.Files.writeString(java.nio.file.Path.of(args[1]), text);
        }
    }

    private static Pod parse(KubernetesSerialization json, byte[] body) {
        return json.unmarshal(new java.io.ByteArrayInputStream(body), Pod.class);
    }

    static long usedAfterGc() throws InterruptedException {
        var mem = ManagementFactory.getMemoryMXBean();
        long last = Long.MAX_VALUE;
        for (int i = 0; i < 8; i++) {
            System.gc();
            Thread.sleep(50);
            long used = mem.getHeapMemoryUsage().getUsed();
            if (i >= 3 && Math.abs(last - used) < 64 * 1024) {
                return used;
            }
            last = used;
        }
        return last;
    }
}
