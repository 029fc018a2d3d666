package dev.upstreamguard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Writes what the HTTP and RSS runs need to disk:
 * {@code manifests <pods> <dir>} a {@link SyntheticCluster} as one JSON {@code List} per namespace (JSON, not YAML:
 * the server loads 100k pods in seconds instead of minutes; ManifestLoader reads both), with lean pods (labels,
 * owner, ports, Ready: what the index keeps of a pod anyway; see {@link #manifests}); {@code reviews <dir>} the {@link ReviewBodies} as {@code <name>.json}.
 */
public final class FixtureMain {
    public static void main(String[] args) throws IOException {
        switch (args[0]) {
            case "manifests" -> manifests(Integer.parseInt(args[1]), Path.of(args[2]));
            case "reviews" -> reviews(Path.of(args[1]));
            default -> throw new IllegalArgumentException("manifests <pods> <dir> | reviews <dir>");
        }
    }

    static void manifests(int pods, Path dir) throws IOException {
        Files.createDirectories(dir);
        var json = new KubernetesSerialization();
        var batch = new ArrayList<HasMetadata>();
        String[] currentNs = {null};
        int[] files = {0};
        var cluster = new SyntheticCluster(pods);
        // lean pods (only what the guard reads, what the index keeps anyway): 100k full pods are 500 MB of JSON
        cluster.forEach(false, o -> {
            var ns = o.getMetadata().getNamespace() == null ? "_cluster" : o.getMetadata().getNamespace();
            if (currentNs[0] != null && !ns.equals(currentNs[0]) && !"_cluster".equals(ns)) {
                write(json, dir, currentNs[0] + "-" + files[0]++, batch);
            }
            currentNs[0] = ns;
            batch.add(o);
        });
        write(json, dir, currentNs[0] + "-" + files[0]++, batch);
        System.out.printf("wrote %d pods in %d namespaces to %s%n", pods, cluster.namespaces(), dir);
    }

    private static void write(KubernetesSerialization json, Path dir, String name, List<HasMetadata> batch) {
        var list = new KubernetesList();
        list.setApiVersion("v1");
        list.setKind("List");
        list.setItems(new ArrayList<>(batch));
        try {
            Files.writeString(dir.resolve(name + ".json"), json.asJson(list));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        batch.clear();
    }

    static void reviews(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (var name : ReviewBodies.NAMES) {
            var body = ReviewBodies.body(name);
            Files.write(dir.resolve(name + ".json"), body);
            System.out.printf("%s: %,d bytes%n", name, body.length);
        }
    }
}
