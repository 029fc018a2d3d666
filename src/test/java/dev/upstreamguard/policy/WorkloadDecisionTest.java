package dev.upstreamguard.policy;

import static dev.upstreamguard.policy.DecisionTableTest.assertDenied;
import static dev.upstreamguard.policy.DecisionTableTest.assertSilent;
import static dev.upstreamguard.policy.DecisionTableTest.assertWarned;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.upstreamguard.cluster.ClusterIndex;
import dev.upstreamguard.cluster.ManifestLoader;
import dev.upstreamguard.support.Reviews;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** The decision table's rows for workloads (Deployments, StatefulSets, DaemonSets and /scale), on the demo cluster. */
class WorkloadDecisionTest {
    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    ClusterIndex cluster;

    @BeforeEach
    void loadDemo() {
        cluster = new ManifestLoader().load(Path.of("examples/demo-cluster"));
    }

    Deployment deployment(String name) {
        return (Deployment) SERIALIZATION.clone(cluster.workload("Deployment", "shop", name).orElseThrow());
    }

    Deployment relabelledWeb() {
        var d = deployment("web");
        d.getSpec().getTemplate().getMetadata().setLabels(Map.of("app", "web", "tier", "storefront"));
        return d;
    }

    AdmissionResponse answer(Reviews r) {
        return answer(r, PolicySettings.defaults());
    }

    AdmissionResponse answer(Reviews r, PolicySettings settings) {
        return r.answerWith(Reviews.handler(cluster, settings));
    }

    @Test
    void deniesContainerPortRenameThatBreaksARoutedNamedTargetPort() {
        var d = deployment("api");
        var c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        c.getPorts().get(0).setName("grpc-api");
        c.getReadinessProbe().getHttpGet().setPort(new IntOrString("grpc-api"));
        var r = answer(Reviews.update(d, deployment("api")));
        assertDenied(r, "service-target-port-missing");
        assertThat(r.getStatus().getMessage()).contains("Service shop/api").contains("targetPort \"api\"");
    }

    @Test
    void deniesReadinessProbeOnAnUndeclaredNamedPort_onCreateAndUpdate() {
        var d = deployment("web");
        d.getSpec().getTemplate().getSpec().getContainers().get(0).getReadinessProbe().getHttpGet()
                .setPort(new IntOrString("web"));
        var r = answer(Reviews.update(d, deployment("web")));
        assertDenied(r, "readiness-probe-port-missing");
        // the web Service is routed by the Ingress and the HTTPRoute: the message names the first and counts the other
        assertThat(r.getStatus().getMessage()).contains("HTTPRoute shop/catalog (shop.example.com /catalog) (+1 more "
                + "routes) -> Service shop/web -> Deployment shop/web container \"web\" "
                + "spec.template.spec.containers[0].readinessProbe.httpGet.port \"web\"");
        d.getMetadata().setName("web-copy");
        d.getMetadata().setUid(null);
        assertDenied(answer(Reviews.create(d)), "readiness-probe-port-missing");
    }

    @Test
    void numericProbePortUndeclaredIsOnlyAWarning() {
        var d = deployment("web");
        d.getSpec().getTemplate().getSpec().getContainers().get(0).getReadinessProbe().getHttpGet()
                .setPort(new IntOrString(9999));
        var r = answer(Reviews.update(d, deployment("web")));
        assertThat(r.getAllowed()).isTrue();
        assertThat(r.getWarnings()).anySatisfy(w -> assertThat(w).startsWith("[readiness-probe-port-missing] Deployment shop/web"));
    }

    @Test
    void warnsOnDryRunAndDelete_deniesDeleteWhenConfigured() {
        assertWarned(answer(Reviews.update(relabelledWeb(), deployment("web")).dryRun()), "service-selects-nothing", "dry run: ");
        assertWarned(answer(Reviews.delete(deployment("web"))), "service-selects-nothing", "on delete: ");
        assertDenied(answer(Reviews.delete(deployment("web")), PolicySettings.defaults().withDenyDeletes(true)),
                "service-selects-nothing");
    }

    @Test
    void noOpReapplyIsSilent() {
        var d = deployment("web");
        d.getMetadata().setLabels(Map.of("helm.sh/chart", "shop-1.2.3"));
        d.getSpec().getTemplate().getMetadata().setAnnotations(Map.of("kubectl.kubernetes.io/restartedAt", "2026-11-26T10:00:00Z"));
        assertSilent(answer(Reviews.update(d, deployment("web"))));
    }

    @Test
    void scaleToZeroIsAWarning_notADenial_inSpecAndThroughScale() {
        var d = deployment("web");
        d.getSpec().setReplicas(0);
        var r = answer(Reviews.update(d, deployment("web")));
        assertWarned(r, "workload-scaled-to-zero", "");
        assertThat(r.getWarnings()).noneMatch(w -> w.startsWith("[service-selects-nothing]"));

        var scaled = answer(Reviews.scale("deployments", "shop", "web", 0));
        assertWarned(scaled, "workload-scaled-to-zero", "");
        assertThat(scaled.getWarnings()).noneMatch(w -> w.startsWith("[service-selects-nothing]"));
        assertSilent(answer(Reviews.scale("deployments", "shop", "web", 5)));
    }

    @Test
    void scaleToZeroCanBeMadeToDeny_throughItsSeverity() {
        var strict = PolicySettings.defaults().withSeverity("workload-scaled-to-zero", dev.upstreamguard.rules.Severity.ERROR);
        assertDenied(answer(Reviews.scale("deployments", "shop", "web", 0), strict), "workload-scaled-to-zero");
    }

    @Test
    void scaleByAnExemptUserIsSilent() {
        var keda = new PolicySettings(Mode.ENFORCE, false, false, Map.of(), List.of("system:serviceaccount:keda:keda-operator"));
        assertSilent(answer(Reviews.scale("deployments", "shop", "web", 0).user("system:serviceaccount:keda:keda-operator"), keda));
        assertSilent(answer(Reviews.scale("deployments", "shop", "web", 0)
                .user("system:serviceaccount:kube-system:horizontal-pod-autoscaler")));
    }

    @Test
    void scaleOfAWorkloadNotInTheViewIsAllowed() {
        assertSilent(answer(Reviews.scale("deployments", "shop", "unknown", 0)));
        assertSilent(answer(Reviews.scale("replicasets", "shop", "web-abc", 0)));
    }

    @Test
    void coordinatedChange_serviceAlreadySwitched_deploymentCatchingUpIsAllowed() {
        Service web = SERIALIZATION.clone(cluster.service("shop", "web").orElseThrow());
        web.getSpec().setSelector(Map.of("app", "web", "tier", "storefront"));
        cluster.put(web); // applied in warn mode, or before the guard was installed: already broken
        var r = answer(Reviews.update(relabelledWeb(), deployment("web")));
        assertThat(r.getAllowed()).isTrue();
        assertThat(r.getWarnings()).isNullOrEmpty();
    }
}
