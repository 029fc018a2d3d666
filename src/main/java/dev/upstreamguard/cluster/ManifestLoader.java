package dev.upstreamguard.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Loads a cluster from YAML or JSON manifests: a file or a directory walked recursively, multi-document files and
 * {@code kind: List} included. Namespaced objects without a namespace land in {@code default}, as with kubectl; objects
 * without a uid get a stable synthetic one. A document that cannot be read fails the whole load with its file and
 * position: a half-loaded cluster would give wrong answers.
 */
public final class ManifestLoader {
    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---[ \\t]*(#.*)?$");
    private static final java.util.Set<String> CLUSTER_SCOPED =
            java.util.Set.of("Namespace", "IngressClass", "PersistentVolume", "ClusterRole", "ClusterRoleBinding",
                    "StorageClass", "CustomResourceDefinition", "ValidatingWebhookConfiguration",
                    "MutatingWebhookConfiguration", "PriorityClass", "Node");

    private final KubernetesSerialization serialization;

    public ManifestLoader(KubernetesSerialization serialization) {
        this.serialization = serialization;
    }

    public ManifestLoader() {
        this(new KubernetesSerialization());
    }

    /**
     * Reads every manifest under {@code root} into a new index, one file at a time: only the index's reduced records
     * stay, never every object of the directory at once (100k pods would need gigabytes of heap).
     */
    public ClusterIndex load(Path root) {
        var index = new ClusterIndex();
        forEach(root, index::put);
        return index;
    }

    /** Reads every object under {@code root}, in path order. */
    public List<HasMetadata> read(Path root) {
        var out = new ArrayList<HasMetadata>();
        forEach(root, out::add);
        return out;
    }

    /** Hands every object under {@code root} to {@code sink}, in path order, file by file. */
    public void forEach(Path root, java.util.function.Consumer<HasMetadata> sink) {
        if (!Files.exists(root)) {
            throw new IllegalArgumentException("manifest path " + root.toAbsolutePath() + " does not exist");
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (var file : files.filter(Files::isRegularFile).filter(ManifestLoader::isManifest).sorted().toList()) {
                readFile(file).forEach(sink);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read manifests under " + root, e);
        }
    }

    private static boolean isManifest(Path p) {
        var name = p.getFileName().toString();
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    }

    /** Reads the objects of one file. */
    public List<HasMetadata> readFile(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /** Parses multi-document YAML or JSON text; {@code origin} names it in errors. */
    public List<HasMetadata> parse(String text, String origin) {
        var out = new ArrayList<HasMetadata>();
        var docs = DOCUMENT_SEPARATOR.split(text);
        for (int i = 0; i < docs.length; i++) {
            var doc = docs[i];
            if (doc.lines().allMatch(l -> l.isBlank() || l.trim().startsWith("#"))) {
                continue;
            }
            Object parsed;
            try {
                parsed = serialization.unmarshal(doc, KubernetesResource.class);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(origin + " document " + (i + 1) + ": " + firstLine(e), e);
            }
            add(out, parsed, origin, i + 1);
        }
        return out;
    }

    private static void add(List<HasMetadata> out, Object parsed, String origin, int doc) {
        if (parsed instanceof KubernetesList list) {
            list.getItems().forEach(item -> add(out, item, origin, doc));
            return;
        }
        if (!(parsed instanceof HasMetadata object) || object.getMetadata() == null
                || object.getMetadata().getName() == null) {
            throw new IllegalArgumentException(origin + " document " + doc + ": not a Kubernetes object with a name");
        }
        var meta = object.getMetadata();
        if (meta.getNamespace() == null && !CLUSTER_SCOPED.contains(object.getKind())) {
            meta.setNamespace("default");
        }
        if (meta.getUid() == null) {
            meta.setUid("manifest:" + object.getKind() + "/" + meta.getNamespace() + "/" + meta.getName());
        }
        out.add(object);
    }

    private static String firstLine(Throwable e) {
        var m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        var cause = e.getCause();
        if (cause != null && cause.getMessage() != null) {
            m = cause.getMessage();
        }
        return m.lines().findFirst().orElse(m);
    }
}
