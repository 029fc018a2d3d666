package dev.upstreamguard.policy;

import static dev.upstreamguard.policy.DecisionTableTest.assertDenied;
import static dev.upstreamguard.policy.DecisionTableTest.assertSilent;
import static dev.upstreamguard.policy.DecisionTableTest.assertWarned;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.upstreamguard.cluster.ClusterIndex;
import dev.upstreamguard.cluster.ManifestLoader;
import dev.upstreamguard.cluster.ObjectRef;
import dev.upstreamguard.rules.Evaluator;
import dev.upstreamguard.rules.RuleCatalog;
import dev.upstreamguard.support.Reviews;
import dev.upstreamguard.support.ThrowingRule;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Workloads as a live cluster holds them (src/test/resources/pod-sources): a Deployment with its ReplicaSet history
 * and owned pods, a StatefulSet with a bare pod beside it, a DaemonSet, a Knative-owned Deployment. Each is judged as
 * Kubernetes sees its pods: image bumps are silent, relabels that orphan a routed Service are denied.
 */
class PodSourceDecisionTest {
    static final KubernetesSerialization K8S = new KubernetesSerialization();
    ClusterIndex cluster;
    /** The objects whole, as the API server holds them and sends them in reviews (the view keeps reduced records). */
    Map<ObjectRef, HasMetadata> apiServer;

    @BeforeEach
    void load() {
        var objects = new ManifestLoader().read(Path.of("src/test/resources/pod-sources/cluster.yaml"));
        cluster = new ClusterIndex();
        apiServer = new java.util.HashMap<>();
        for (var o : objects) {
            cluster.put(o);
            apiServer.put(ObjectRef.of(o), o);
        }
    }

    <T extends HasMetadata> T live(Class<T> type, String kind, String name) {
        return type.cast(K8S.clone(apiServer.get(new ObjectRef(kind, "shop", name))));
    }

    AdmissionResponse answer(Reviews r) {
        return answer(r, PolicySettings.defaults());
    }

    AdmissionResponse answer(Reviews r, PolicySettings settings) {
        return r.answerWith(Reviews.handler(cluster, settings));
    }

    static Map<String, String> relabelled(String app) {
        return Map.of("app", app + "-v2");
    }

    // ---- a Deployment with its ReplicaSets and owned pods ----------------------------------------------------------

    @Test
    void deploymentImageBump_isSilent() {
        var d = live(Deployment.class, "Deployment", "web");
        d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("example/web:2.1");
        assertSilent(answer(Reviews.update(d, live(Deployment.class, "Deployment", "web"))));
    }

    @Test
    void deploymentRelabel_isDenied_althoughItsOldPodsStillCarryTheLabels() {
        var d = live(Deployment.class, "Deployment", "web");
        d.getSpec().getTemplate().getMetadata().setLabels(relabelled("web"));
        var r = answer(Reviews.update(d, live(Deployment.class, "Deployment", "web")));
        assertDenied(r, "service-selects-nothing");
        assertThat(r.getStatus().getMessage()).contains("Service shop/web spec.selector {app=web}");
    }

    @Test
    void theReplicaSetsOfADeploymentAreNotPodSourcesOfTheirOwn() {
        var sources = cluster.podSourcesSelectedBy("shop", Map.of("app", "web")).stream()
                .map(s -> s.ref().toString()).sorted().toList();
        assertThat(sources).containsExactly("Deployment shop/web", "Pod shop/web-2-a", "Pod shop/web-2-b");
    }

    @Test
    void renamingTheContainerPortBehindAnUnroutedServicePort_onlyWarns_andNamesNoRoute() {
        var d = live(Deployment.class, "Deployment", "web");
        d.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().get(1).setName("prometheus");
        var r = answer(Reviews.update(d, live(Deployment.class, "Deployment", "web")));
        assertWarned(r, "service-target-port-missing", "unrouted: ");
        var audit = r.getAuditAnnotations().get("findings");
        assertThat(audit).contains("targetPort \\\"metrics\\\"").doesNotContain("Ingress shop/shop");
    }

    @Test
    void renamingTheContainerPortBehindTheRoutedServicePort_isDenied_andNamesTheRoute() {
        var d = live(Deployment.class, "Deployment", "web");
        var c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        c.getPorts().get(0).setName("web-http");
        c.getReadinessProbe().getHttpGet().setPort(new IntOrString("web-http"));
        var r = answer(Reviews.update(d, live(Deployment.class, "Deployment", "web")));
        assertDenied(r, "service-target-port-missing");
        assertThat(r.getStatus().getMessage()).startsWith("[service-target-port-missing] Ingress shop/shop "
                + "(shop.example.com/) -> Service shop/web spec.ports[0] (80/\"http\") targetPort \"http\"");
    }

    @Test
    void protectUnrouted_deniesTheUnroutedPortToo() {
        var d = live(Deployment.class, "Deployment", "web");
        d.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().get(1).setName("prometheus");
        var r = answer(Reviews.update(d, live(Deployment.class, "Deployment", "web")),
                PolicySettings.defaults().withProtectUnrouted(true));
        assertDenied(r, "service-target-port-missing");
    }

    @Test
    void renamingAContainerWhoseProbeWasAlreadyBroken_onlyWarns() {
        var broken = live(Deployment.class, "Deployment", "web");
        broken.getSpec().getTemplate().getSpec().getContainers().get(0).getReadinessProbe().getHttpGet()
                .setPort(new IntOrString("health"));
        cluster.put(broken);
        apiServer.put(ObjectRef.of(broken), broken);
        var renamed = live(Deployment.class, "Deployment", "web");
        renamed.getSpec().getTemplate().getSpec().getContainers().get(0).setName("storefront");
        var r = answer(Reviews.update(renamed, live(Deployment.class, "Deployment", "web")));
        assertWarned(r, "readiness-probe-port-missing", "already broken: ");
    }

    // ---- StatefulSet, with a bare pod beside it ------------------------------------------------------------------

    @Test
    void statefulSetImageBump_isSilent() {
        var s = live(StatefulSet.class, "StatefulSet", "search");
        s.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("example/search:8");
        assertSilent(answer(Reviews.update(s, live(StatefulSet.class, "StatefulSet", "search"))));
    }

    @Test
    void statefulSetPortRename_isDenied_evenThoughTheBarePodStillDeclaresIt() {
        // the bare pod keeps the name, so the Service still resolves: the change is fine
        var s = live(StatefulSet.class, "StatefulSet", "search");
        var c = s.getSpec().getTemplate().getSpec().getContainers().get(0);
        c.getPorts().get(0).setName("rest");
        c.getReadinessProbe().getHttpGet().setPort(new IntOrString("rest"));
        assertSilent(answer(Reviews.update(s, live(StatefulSet.class, "StatefulSet", "search"))));
        // without the bare pod, the rename leaves the routed port unresolved
        cluster.remove(pod("search-debug"));
        assertDenied(answer(Reviews.update(s, live(StatefulSet.class, "StatefulSet", "search"))),
                "service-target-port-missing");
    }

    @Test
    void statefulSetScaledToZero_beside_aBarePod_neitherThrowsNorDenies() {
        var s = live(StatefulSet.class, "StatefulSet", "search");
        s.getSpec().setReplicas(0);
        var r = answer(Reviews.update(s, live(StatefulSet.class, "StatefulSet", "search")));
        assertThat(r.getAllowed()).isTrue();
        assertThat(r.getWarnings()).as("the bare pod still serves: nothing to say, and no rule failed")
                .isNullOrEmpty();
    }

    @Test
    void statefulSetScaledToZero_withoutTheBarePod_onlyWarns() {
        cluster.remove(pod("search-debug"));
        var s = live(StatefulSet.class, "StatefulSet", "search");
        s.getSpec().setReplicas(0);
        var r = answer(Reviews.update(s, live(StatefulSet.class, "StatefulSet", "search")));
        assertWarned(r, "workload-scaled-to-zero", "");
        assertThat(r.getWarnings()).noneSatisfy(w -> assertThat(w).startsWith("[service-selects-nothing]"));
    }

    @Test
    void scaleToZero_onlyWarns_evenWhenWorkloadScaledToZeroThrows() {
        cluster.remove(pod("search-debug"));
        var rules = new ArrayList<>(RuleCatalog.all());
        rules.removeIf(rule -> rule.info().id().equals("workload-scaled-to-zero"));
        rules.add(ThrowingRule.onWorkloads("workload-scaled-to-zero", o -> true));
        var s = live(StatefulSet.class, "StatefulSet", "search");
        s.getSpec().setReplicas(0);
        var r = Reviews.update(s, live(StatefulSet.class, "StatefulSet", "search"))
                .answerWith(Reviews.handler(cluster, PolicySettings.defaults(), new Evaluator(rules)));
        assertWarned(r, "service-selects-nothing", "scaled to zero: ");
    }

    // ---- DaemonSet -------------------------------------------------------------------------------------------------

    @Test
    void daemonSetImageBump_isSilent_andItsRelabelIsDenied() {
        var ds = live(DaemonSet.class, "DaemonSet", "edge");
        ds.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("example/edge:4");
        assertSilent(answer(Reviews.update(ds, live(DaemonSet.class, "DaemonSet", "edge"))));
        ds.getSpec().getTemplate().getMetadata().setLabels(relabelled("edge"));
        assertDenied(answer(Reviews.update(ds, live(DaemonSet.class, "DaemonSet", "edge"))), "service-selects-nothing");
    }

    // ---- a Deployment owned by an operator (Knative) ---------------------------------------------------------------

    @Test
    void operatorOwnedDeployment_isAPodSource_soItsImageBumpIsSilent() {
        var d = live(Deployment.class, "Deployment", "hello-00001-deployment");
        d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("example/hello:2");
        assertSilent(answer(Reviews.update(d, live(Deployment.class, "Deployment", "hello-00001-deployment"))));
    }

    @Test
    void operatorOwnedDeployment_relabelThatOrphansItsRoutedService_isDenied() {
        var d = live(Deployment.class, "Deployment", "hello-00001-deployment");
        d.getSpec().getTemplate().getMetadata().setLabels(relabelled("hello"));
        assertDenied(answer(Reviews.update(d, live(Deployment.class, "Deployment", "hello-00001-deployment"))),
                "service-selects-nothing");
    }

    // ---- failures never deny -------------------------------------------------------------------------------------

    @Test
    void aRuleThatThrowsOnlyOnTheOldObject_cannotDeny() {
        // it throws on the Deployment as it was, and finds an error on it as changed: that finding must not look new
        var rules = new ArrayList<>(RuleCatalog.all());
        rules.add(ThrowingRule.onWorkloads("test-throws-on-old", o -> "example/web:2.0".equals(
                ((Deployment) o).getSpec().getTemplate().getSpec().getContainers().get(0).getImage())));
        var handler = Reviews.handler(cluster, PolicySettings.defaults(), new Evaluator(rules));
        var d = live(Deployment.class, "Deployment", "web");
        d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("example/web:2.1");
        var r = Reviews.update(d, live(Deployment.class, "Deployment", "web")).answerWith(handler);
        assertWarned(r, "test-throws-on-old", "rule failed: ");
        assertThat(r.getWarnings()).anySatisfy(w -> assertThat(w)
                .startsWith("[upstream-guard] rule test-throws-on-old failed on Deployment shop/web as it was"));
        assertThat(handler.counters().ruleFailures()).isEqualTo(1);
        // the same rule, not failing in either view, denies: the failure was the only thing in the way
        var steady = new ArrayList<>(RuleCatalog.all());
        steady.add(ThrowingRule.onWorkloads("test-throws-on-old", o -> false));
        var fresh = live(Deployment.class, "Deployment", "web");
        fresh.getMetadata().setName("web-canary");
        fresh.getMetadata().setUid("d-web-canary");
        var created = Reviews.create(fresh).answerWith(Reviews.handler(cluster, PolicySettings.defaults(),
                new Evaluator(steady)));
        assertDenied(created, "test-throws-on-old");
    }

    static io.fabric8.kubernetes.api.model.Pod pod(String name) {
        return new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata().withName(name).withNamespace("shop")
                .endMetadata().build();
    }

}
