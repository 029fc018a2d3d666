package dev.upstreamguard.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * {@link ReviewJson} binds {@code object}/{@code oldObject} without fabric8's intermediate tree and skips what no rule
 * reads: whatever order the fields come in, the objects must be exactly what fabric8's own reading gives, less the
 * skipped fields.
 */
class ReviewJsonTest {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static {
        new KubernetesSerialization(MAPPER, true);
    }
    static final ReviewJson JSON = ReviewJson.strict(MAPPER);

    static Stream<Path> examples() throws IOException {
        try (var files = Files.list(Path.of("examples/reviews"))) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("examples")
    void readsEveryExampleAsFabric8Does(Path file) throws IOException {
        assertSameAsFabric8(Files.readAllBytes(file));
    }

    @Test
    void whatNoRuleReadsIsSkipped() throws IOException {
        var review = review(deployment("{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\"},"
                + "\"spec\":{\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\"}},\"spec\":{"
                + "\"volumes\":[{\"name\":\"v\",\"emptyDir\":{}}],\"tolerations\":[{\"operator\":\"Exists\"}],"
                + "\"containers\":[{\"name\":\"app\",\"image\":\"app:1\",\"env\":[{\"name\":\"A\",\"value\":\"1\"}],"
                + "\"resources\":{\"limits\":{\"cpu\":\"1\"}},\"volumeMounts\":[{\"name\":\"v\",\"mountPath\":\"/v\"}],"
                + "\"ports\":[{\"name\":\"http\",\"containerPort\":8080}],"
                + "\"readinessProbe\":{\"httpGet\":{\"port\":\"http\",\"path\":\"/\"}}}]}}}}"));
        assertSameAsFabric8(review);
        var spec = ((Deployment) JSON.read(review).getRequest().getObject()).getSpec().getTemplate().getSpec();
        var container = spec.getContainers().get(0);
        assertThat(container.getEnv()).isEmpty();
        assertThat(container.getVolumeMounts()).isEmpty();
        assertThat(container.getResources()).isNull();
        assertThat(spec.getVolumes()).isEmpty();
        assertThat(spec.getTolerations()).isEmpty();
        assertThat(container.getPorts()).hasSize(1);
        assertThat(container.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
        assertThat(container.getImage()).isEqualTo("app:1");
    }

    @Test
    void managedFieldsAreSkippedAndNothingElse() throws IOException {
        var review = review(deployment("{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\","
                + "\"managedFields\":[{\"manager\":\"kubectl\",\"fieldsV1\":{\"f:spec\":{\"f:replicas\":{}}}}],"
                + "\"labels\":{\"app\":\"web\"}},\"spec\":{\"replicas\":3}}"));
        var object = (Deployment) JSON.read(review).getRequest().getObject();
        assertThat(object.getMetadata().getManagedFields()).isEmpty();
        assertThat(object.getMetadata().getLabels()).containsEntry("app", "web");
        assertThat(object.getSpec().getReplicas()).isEqualTo(3);
        assertThat(object.getApiVersion()).isEqualTo("apps/v1");
        assertThat(object.getKind()).isEqualTo("Deployment");
    }

    @Test
    void anyFieldOrderGivesTheSameObject() throws IOException {
        var fields = new String[] {"\"apiVersion\":\"apps/v1\"", "\"kind\":\"Deployment\"",
                "\"metadata\":{\"name\":\"web\",\"namespace\":\"shop\",\"labels\":{\"app\":\"web\"}}",
                "\"spec\":{\"replicas\":2,\"selector\":{\"matchLabels\":{\"app\":\"web\"}}}", "\"status\":{\"replicas\":2}"};
        int[][] orders = {{0, 1, 2, 3, 4}, {1, 0, 2, 3, 4}, {2, 3, 0, 1, 4}, {0, 2, 1, 3, 4}, {4, 3, 2, 1, 0},
                {1, 2, 3, 4, 0}};
        Deployment first = null;
        for (var order : orders) {
            var sb = new StringBuilder("{");
            for (int i = 0; i < order.length; i++) {
                sb.append(i == 0 ? "" : ",").append(fields[order[i]]);
            }
            var body = review(deployment(sb.append('}').toString()));
            assertSameAsFabric8(body);
            var object = (Deployment) JSON.read(body).getRequest().getObject();
            if (first == null) {
                first = object;
            }
            assertThat(object).as(sb.toString()).isEqualTo(first);
        }
        assertThat(first.getSpec().getReplicas()).isEqualTo(2);
    }

    @Test
    void kindsFabric8DoesNotKnowStayGeneric() throws IOException {
        var body = review(deployment("{\"apiVersion\":\"example.com/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"w\"},"
                + "\"spec\":{\"size\":3}}"));
        assertSameAsFabric8(body);
        assertThat(JSON.read(body).getRequest().getObject()).isInstanceOf(GenericKubernetesResource.class);
    }

    @Test
    void aKindOtherThanTheRequestsIsReadAsWhatItIs() throws IOException {
        var body = review(deployment("{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"web\"}}"));
        assertSameAsFabric8(body);
        assertThat(JSON.read(body).getRequest().getObject()).isInstanceOf(Service.class);
    }

    @Test
    void aScaleIsAScale() throws IOException {
        var body = review(deployment("{\"kind\":\"Scale\",\"apiVersion\":\"autoscaling/v1\",\"metadata\":{\"name\":\"web\"},"
                + "\"spec\":{\"replicas\":0}}"));
        assertSameAsFabric8(body);
        assertThat(((Scale) JSON.read(body).getRequest().getObject()).getSpec().getReplicas()).isZero();
    }

    @Test
    void oddLeadingFieldsFallBackToFabric8() throws IOException {
        // a kind that is not a string, an apiVersion only, no type at all: fabric8 decides, as it did before
        for (var object : new String[] {"{\"apiVersion\":\"apps/v1\",\"metadata\":{\"name\":\"web\"}}",
                "{\"metadata\":{\"name\":\"web\"},\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\"}",
                "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\"}", "{}"}) {
            assertSameAsFabric8(review(deployment(object)));
        }
        var numberKind = review(deployment("{\"apiVersion\":\"apps/v1\",\"kind\":7,\"metadata\":{\"name\":\"web\"}}"));
        assertSameOutcomeAsFabric8(numberKind);
    }

    @Test
    void duplicateTypeFieldsAreStillRefused() {
        var body = review(deployment("{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"kind\":\"Service\","
                + "\"metadata\":{\"name\":\"web\"}}"));
        assertThatThrownBy(() -> JSON.read(body)).hasMessageContaining("Duplicate field 'kind'");
        var inMetadata = review(deployment("{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\","
                + "\"metadata\":{\"name\":\"web\",\"name\":\"api\"}}"));
        assertThatThrownBy(() -> JSON.read(inMetadata)).hasMessageContaining("Duplicate field 'name'");
    }

    @Test
    void nullObjectsStayNull() throws IOException {
        var request = JSON.read(review(",\"object\":null,\"oldObject\":null")).getRequest();
        assertThat(request.getObject()).isNull();
        assertThat(request.getOldObject()).isNull();
    }

    private static byte[] review(String objectField) {
        return ("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"j-1\","
                + "\"kind\":{\"group\":\"apps\",\"version\":\"v1\",\"kind\":\"Deployment\"},\"operation\":\"UPDATE\","
                + "\"namespace\":\"shop\",\"name\":\"web\"" + objectField + "}}").getBytes();
    }

    private static String deployment(String object) {
        return ",\"object\":" + object + ",\"oldObject\":" + object;
    }

    static final List<String> CONTAINER_SKIPPED = List.of("env", "envFrom", "resources", "volumeMounts", "volumeDevices");
    static final List<String> POD_SPEC_SKIPPED = List.of("volumes", "affinity", "tolerations", "topologySpreadConstraints");

    /** The review as fabric8 reads it, less what ReviewJson skips in both objects. */
    private static AdmissionReview fabric8(byte[] body) throws IOException {
        var tree = (ObjectNode) MAPPER.readTree(body);
        var request = (ObjectNode) tree.get("request");
        for (var field : new String[] {"object", "oldObject"}) {
            strip(request.get(field));
        }
        return MAPPER.treeToValue(tree, AdmissionReview.class);
    }

    /** Drops managedFields from every metadata, and the skipped fields from every pod spec and container. */
    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode o) {
            if (o.get("metadata") instanceof ObjectNode meta) {
                meta.remove("managedFields");
            }
            if (o.get("containers") instanceof ArrayNode) {
                o.remove(POD_SPEC_SKIPPED);
                for (var list : new String[] {"containers", "initContainers", "ephemeralContainers"}) {
                    if (o.get(list) instanceof ArrayNode containers) {
                        containers.forEach(c -> {
                            if (c instanceof ObjectNode container) {
                                container.remove(CONTAINER_SKIPPED);
                            }
                        });
                    }
                }
            }
            o.forEach(ReviewJsonTest::strip);
        } else if (node instanceof ArrayNode a) {
            a.forEach(ReviewJsonTest::strip);
        }
    }

    private static void assertSameAsFabric8(byte[] body) throws IOException {
        var ours = JSON.read(body);
        var theirs = fabric8(body);
        assertThat(ours).isEqualTo(theirs);
        for (var o : new Object[] {ours.getRequest().getObject(), ours.getRequest().getOldObject()}) {
            if (o != null) {
                assertThat(o.getClass()).isEqualTo(theirs.getRequest().getObject() == null ? o.getClass()
                        : theirs.getRequest().getObject().getClass());
                if (o instanceof HasMetadata h && h.getMetadata() != null) {
                    assertThat(h.getMetadata().getManagedFields()).isNullOrEmpty();
                }
            }
        }
    }

    /** Both read it to an equal review, or both refuse it. */
    private static void assertSameOutcomeAsFabric8(byte[] body) throws IOException {
        AdmissionReview theirs;
        try {
            theirs = fabric8(body);
        } catch (IOException | RuntimeException e) {
            assertThatThrownBy(() -> JSON.read(body)).isInstanceOf(Exception.class);
            return;
        }
        assertThat(JSON.read(body)).isEqualTo(theirs);
    }
}
