package dev.upstreamguard.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.upstreamguard.cluster.ClusterIndex;
import dev.upstreamguard.cluster.ManifestLoader;
import dev.upstreamguard.policy.PolicySettings;
import dev.upstreamguard.support.Reviews;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The AdmissionReview protocol, row by row, through the gate as /validate calls it: every operation, subresources we
 * are not registered for, dry runs, unknown fields and kinds. (Over HTTP: ValidateEndpointTest; bad bodies:
 * HostileInputTest.)
 */
class ProtocolMatrixTest {
    static final KubernetesSerialization K8S = new KubernetesSerialization();
    final ClusterIndex cluster = new ManifestLoader().load(Path.of("examples/demo-cluster"));
    final Service api = cluster.service("shop", "api").orElseThrow();
    final ReviewGate gate = new ReviewGate(Reviews.handler(cluster, PolicySettings.defaults()), 8, Duration.ofMillis(250));

    Service typo() {
        Service s = K8S.clone(api);
        s.getSpec().setSelector(Map.of("app", "apii"));
        return s;
    }

    AdmissionResponse answer(byte[] body) {
        var reply = gate.handle(body, "10s");
        assertThat(reply.status()).as("HTTP status").isEqualTo(200);
        return ((AdmissionReview) reply.entity()).getResponse();
    }

    static byte[] edit(Reviews review, java.util.function.Consumer<ObjectNode> change) throws Exception {
        var tree = (ObjectNode) Reviews.MAPPER.readTree(review.json());
        change.accept(tree);
        return Reviews.MAPPER.writeValueAsBytes(tree);
    }

    @Test
    void create_judgesTheNewObject() {
        var fresh = K8S.clone(api);
        fresh.getMetadata().setName("api-2");
        var r = answer(Reviews.create(fresh).uid("c-1").json());
        assertThat(r.getUid()).isEqualTo("c-1");
        assertThat(r.getAllowed()).isTrue();
    }

    @Test
    void update_deniesTheBreakingChange() {
        var r = answer(Reviews.update(typo(), api).uid("u-1").json());
        assertThat(r.getUid()).isEqualTo("u-1");
        assertThat(r.getAllowed()).isFalse();
        assertThat(r.getStatus().getCode()).isEqualTo(403);
        assertThat(r.getStatus().getMessage()).isNotBlank();
    }

    @Test
    void delete_withObjectNull_warnsOnTheBrokenRoute() throws Exception {
        var body = edit(Reviews.delete(api).uid("del-1"), t -> t.withObjectProperty("request").putNull("object"));
        var r = answer(body);
        assertThat(r.getUid()).isEqualTo("del-1");
        assertThat(r.getAllowed()).isTrue();
        assertThat(r.getWarnings()).isNotEmpty().allSatisfy(w -> assertThat(w).contains("on delete"));
    }

    @Test
    void connect_isAllowedWithNothing() throws Exception {
        var body = edit(Reviews.update(api, api).uid("con-1"), t -> {
            var req = t.withObjectProperty("request");
            req.put("operation", "CONNECT");
            req.putNull("object");
            req.putNull("oldObject");
            req.put("subResource", "proxy");
        });
        var r = answer(body);
        assertThat(r.getUid()).isEqualTo("con-1");
        assertThat(r.getAllowed()).isTrue();
        assertThat(r.getWarnings()).isNullOrEmpty();
    }

    @Test
    void subresourcesWeDoNotJudge_areAllowedWithNothing() {
        for (var sub : new String[] {"status", "proxy", "ephemeralcontainers"}) {
            var r = answer(Reviews.update(typo(), api).subResource(sub).uid("sub-" + sub).json());
            assertThat(r.getUid()).isEqualTo("sub-" + sub);
            assertThat(r.getAllowed()).as(sub).isTrue();
            assertThat(r.getWarnings()).as(sub).isNullOrEmpty();
        }
    }

    @Test
    void dryRun_warnsInsteadOfDenying() {
        var r = answer(Reviews.update(typo(), api).dryRun().json());
        assertThat(r.getAllowed()).isTrue();
        assertThat(r.getWarnings()).anySatisfy(w -> assertThat(w).startsWith("[service-selects-nothing] dry run:"));
    }

    @Test
    void unknownFieldsAnywhereAreIgnored_andTheChangeIsStillJudged() throws Exception {
        var body = edit(Reviews.update(typo(), api).uid("unk-1"), t -> {
            t.put("futureTopLevelField", 1);
            var req = t.withObjectProperty("request");
            req.putObject("options").put("kind", "UpdateOptions").put("fieldManager", "kubectl");
            req.put("someNewRequestField", "x");
            req.withObjectProperty("object").put("unknownObjectField", true);
            req.withObjectProperty("object").withObjectProperty("spec").putArray("futureSpecList").add(1);
            req.withObjectProperty("object").withObjectProperty("metadata").putObject("futureMeta").put("a", "b");
        });
        var r = answer(body);
        assertThat(r.getUid()).isEqualTo("unk-1");
        assertThat(r.getAllowed()).isFalse();
    }

    @Test
    void kindsWeDoNotHandle_includingCustomResources_areAllowedWithNothing() {
        var rollout = """
                {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"cr-1",
                 "kind":{"group":"argoproj.io","version":"v1alpha1","kind":"Rollout"},
                 "resource":{"group":"argoproj.io","version":"v1alpha1","resource":"rollouts"},
                 "operation":"UPDATE","namespace":"shop","name":"web",
                 "object":{"apiVersion":"argoproj.io/v1alpha1","kind":"Rollout","metadata":{"name":"web"},"spec":{"x":1}},
                 "oldObject":{"apiVersion":"argoproj.io/v1alpha1","kind":"Rollout","metadata":{"name":"web"}}}}""";
        var r = answer(rollout.getBytes());
        assertThat(r.getUid()).isEqualTo("cr-1");
        assertThat(r.getAllowed()).isTrue();
        assertThat(r.getWarnings()).isNullOrEmpty();
    }

    @Test
    void theRequestsOwnApiVersionMayBeLeftOut_butNotAnotherOne() throws Exception {
        var body = edit(Reviews.update(typo(), api).uid("nov-1"), t -> t.remove("apiVersion"));
        assertThat(answer(body).getUid()).isEqualTo("nov-1");
        var beta = edit(Reviews.update(typo(), api), t -> t.put("apiVersion", "admission.k8s.io/v1beta1"));
        var reply = gate.handle(beta, "10s");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(((Map<?, ?>) reply.entity()).get("error").toString()).contains("only admission.k8s.io/v1");
    }
}
