package dev.upstreamguard.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.upstreamguard.cluster.ClusterIndex;
import dev.upstreamguard.cluster.ClusterView;
import dev.upstreamguard.cluster.ManifestLoader;
import dev.upstreamguard.cluster.ObjectRef;
import dev.upstreamguard.rules.Evaluator;
import dev.upstreamguard.rules.Evaluator.Evaluation;
import dev.upstreamguard.rules.Scope;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.upstreamguard.admission.ReviewJson;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * A rule fixture: a cluster ({@code cluster.yaml}) and one case file holding the object under review. The case is an
 * UPDATE when the object exists in the cluster, else a CREATE; a line {@code # operation: DELETE} makes it a DELETE.
 */
public record Fixture(Path file, String description, String operation, HasMetadata object, HasMetadata old,
                      ClusterIndex cluster) {
    public static final ManifestLoader LOADER = new ManifestLoader();

    public static Fixture load(Path clusterFile, Path caseFile) throws IOException {
        var text = Files.readString(caseFile);
        var firstLine = text.lines().findFirst().orElse("");
        if (!firstLine.startsWith("# ")) {
            throw new IllegalStateException(caseFile + " must open with a one-line comment saying what it shows");
        }
        var objects = LOADER.parse(text, caseFile.toString());
        if (objects.size() != 1) {
            throw new IllegalStateException(caseFile + " must hold exactly one object, not " + objects.size());
        }
        var object = objects.get(0);
        var clusterObjects = LOADER.read(clusterFile);
        var index = new ClusterIndex();
        clusterObjects.forEach(index::put);
        var ref = ObjectRef.of(object);
        var old = clusterObjects.stream().filter(o -> ObjectRef.of(o).equals(ref)).findFirst().orElse(null);
        boolean delete = text.lines().anyMatch(l -> l.trim().equals("# operation: DELETE"));
        if (delete && old == null) {
            throw new IllegalStateException(caseFile + " deletes " + ref + ", which cluster.yaml does not hold");
        }
        String op = delete ? "DELETE" : old == null ? "CREATE" : "UPDATE";
        if (old != null && object.getMetadata().getUid() != null && object.getMetadata().getUid().startsWith("manifest:")) {
            object.getMetadata().setUid(old.getMetadata().getUid());
        }
        return new Fixture(caseFile, firstLine.substring(2), op, delete ? null : object, old, index);
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    static {
        new KubernetesSerialization(MAPPER, true);
    }
    private static final ReviewJson REVIEWS = ReviewJson.strict(MAPPER);

    /**
     * The same case with its object and old object as the webhook reads them from an AdmissionReview (fields no rule
     * reads skipped): a rule must judge both alike.
     */
    public Fixture asReviewed() throws IOException {
        var request = MAPPER.createObjectNode();
        request.put("uid", "fixture");
        request.set("object", object == null ? null : MAPPER.valueToTree(object));
        request.set("oldObject", old == null ? null : MAPPER.valueToTree(old));
        var review = MAPPER.createObjectNode().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
        review.set("request", request);
        var read = REVIEWS.read(MAPPER.writeValueAsBytes(review)).getRequest();
        return new Fixture(file, description, operation, (HasMetadata) read.getObject(), (HasMetadata) read.getOldObject(),
                cluster);
    }

    public ObjectRef ref() {
        return ObjectRef.of(object != null ? object : old);
    }

    public ClusterView after() {
        return object == null ? cluster.without(ref()) : cluster.with(object);
    }

    /** The after-view findings of the scope this change touches, the way the webhook computes them. */
    public Evaluation evaluateAfter(Evaluator evaluator) {
        var after = after();
        var scope = Scope.of(ref(), old, object, cluster, after);
        return evaluator.evaluate(after, scope, object);
    }

    public static List<Path> cases(Path dir, String prefix) throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix))
                    .filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }
}
