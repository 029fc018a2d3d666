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
                    "MutatingWebhookConfiguration", "PriorityClass", "Node", "GatewayClass");

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
        documents(text, origin, "default").forEach(d -> out.addAll(d.objects()));
        return out;
    }

    /**
     * One document of a manifest file, where it starts, and the objects it holds ({@code kind: List} items
     * included), for tools that report a finding at its file and line.
     *
     * @param index  1-based position of the document in the file, counting blank ones, as errors name it
     * @param line   1-based line of the document's first line that is neither blank nor a comment
     * @param text   the document's text
     */
    public record Document(int index, int line, String text, List<HasMetadata> objects) {
    }

    /**
     * Parses multi-document YAML or JSON text document by document; namespaced objects without a namespace land in
     * {@code defaultNamespace} (kubectl's {@code --namespace}). Documents that hold only blanks and comments are left
     * out. A document that cannot be read throws, naming {@code origin} and the document.
     */
    public List<Document> documents(String text, String origin, String defaultNamespace) {
        var out = new ArrayList<Document>();
        var separators = DOCUMENT_SEPARATOR.matcher(text);
        int start = 0;
        int startLine = 1;
        int index = 0;
        while (true) {
            boolean more = separators.find();
            int end = more ? separators.start() : text.length();
            index++;
            var doc = text.substring(start, end);
            var first = firstContentLine(doc);
            if (first >= 0) {
                out.add(new Document(index, startLine + first, doc, parseDocument(doc, origin, index, defaultNamespace)));
            }
            if (!more) {
                return out;
            }
            startLine += lineBreaks(text, start, separators.end());
            start = separators.end();
        }
    }

    private List<HasMetadata> parseDocument(String doc, String origin, int index, String defaultNamespace) {
        Object parsed;
        try {
            parsed = serialization.unmarshal(doc, KubernetesResource.class);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(origin + " document " + index + ": " + firstLine(e), e);
        }
        var objects = new ArrayList<HasMetadata>();
        add(objects, parsed, origin, index, defaultNamespace);
        return objects;
    }

    /** 0-based line of the first line that is neither blank nor a comment, or -1 when there is none. */
    private static int firstContentLine(String doc) {
        int n = 0;
        for (var line : (Iterable<String>) doc.lines()::iterator) {
            if (!line.isBlank() && !line.trim().startsWith("#")) {
                return n;
            }
            n++;
        }
        return -1;
    }

    private static int lineBreaks(String text, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }

    private static void add(List<HasMetadata> out, Object parsed, String origin, int doc, String defaultNamespace) {
        if (parsed instanceof KubernetesList list) {
            list.getItems().forEach(item -> add(out, item, origin, doc, defaultNamespace));
            return;
        }
        if (!(parsed instanceof HasMetadata object) || object.getMetadata() == null
                || object.getMetadata().getName() == null) {
            throw new IllegalArgumentException(origin + " document " + doc + ": not a Kubernetes object with a name");
        }
        var meta = object.getMetadata();
        if (meta.getNamespace() == null && !CLUSTER_SCOPED.contains(object.getKind())) {
            meta.setNamespace(defaultNamespace);
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
