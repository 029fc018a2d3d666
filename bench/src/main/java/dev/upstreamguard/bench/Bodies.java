package dev.upstreamguard.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The JSON of every object of a {@link SyntheticCluster}, one file per kind on disk (length-prefixed), so that a
 * memory measurement can parse each object from its own bytes, as an informer receives it, without holding hundreds of
 * megabytes of bodies in the heap it measures.
 */
final class Bodies {
    private final Path dir;
    private final Map<String, long[]> counts; // kind -> objects, bytes
    private final Map<String, Class<? extends HasMetadata>> types;

    private Bodies(Path dir, Map<String, long[]> counts, Map<String, Class<? extends HasMetadata>> types) {
        this.dir = dir;
        this.counts = counts;
        this.types = types;
    }

    /** Serializes the cluster with full pods, one file per kind of {@code kinds} (other kinds are left out). */
    static Bodies write(SyntheticCluster cluster, KubernetesSerialization json, Path dir, List<String> kinds)
            throws IOException {
        var outs = new HashMap<String, DataOutputStream>();
        var counts = new HashMap<String, long[]>();
        var types = new HashMap<String, Class<? extends HasMetadata>>();
        try {
            for (var kind : kinds) {
                outs.put(kind, new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(dir.resolve(kind)), 1 << 16)));
                counts.put(kind, new long[2]);
            }
            cluster.forEach(true, o -> {
                var out = outs.get(o.getKind());
                if (out == null) {
                    return;
                }
                types.putIfAbsent(o.getKind(), o.getClass());
                var bytes = json.asJson(o).getBytes(StandardCharsets.UTF_8);
                try {
                    out.writeInt(bytes.length);
                    out.write(bytes);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                var c = counts.get(o.getKind());
                c[0]++;
                c[1] += bytes.length;
            });
        } finally {
            for (var out : outs.values()) {
                out.close();
            }
        }
        return new Bodies(dir, counts, types);
    }

    Class<? extends HasMetadata> type(String kind) {
        return types.get(kind);
    }

    long count(String kind) {
        return counts.get(kind)[0];
    }

    long bytes(String kind) {
        return counts.get(kind)[1];
    }

    long objects() {
        return counts.values().stream().mapToLong(c -> c[0]).sum();
    }

    void forEach(String kind, KubernetesSerialization json, Consumer<HasMetadata> sink) throws IOException {
        forEach(kind, Long.MAX_VALUE, json, sink);
    }

    /** Parses the first {@code limit} objects of a kind, each from its own bytes, into a fresh object. */
    void forEach(String kind, long limit, KubernetesSerialization json, Consumer<HasMetadata> sink) {
        var type = types.get(kind);
        if (type == null) {
            return;
        }
        try (var in = new DataInputStream(new BufferedInputStream(Files.newInputStream(dir.resolve(kind)), 1 << 16))) {
            for (long n = 0; n < limit; n++) {
                int length;
                try {
                    length = in.readInt();
                } catch (EOFException end) {
                    return;
                }
                var bytes = in.readNBytes(length);
                sink.accept(json.unmarshal(new ByteArrayInputStream(bytes), type));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
