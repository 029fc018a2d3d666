package dev.upstreamguard.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;

/**
 * The view keeps reduced records of every kind, and forgets them again from the key alone (informers that keep only
 * keys hand back nothing more on a deletion found by a relist).
 */
class ReducedRecordsTest {

    static Deployment deployment() {
        return new DeploymentBuilder().withNewMetadata().withName("web").withNamespace("shop").withUid("d-web")
                .withAnnotations(Map.of("upstream-guard.dev/mode", "warn", "kubectl.kubernetes.io/last-applied", "{...}"))
                .withLabels(Map.of("team", "storefront")).endMetadata()
                .withNewSpec().withReplicas(3).withNewSelector().withMatchLabels(Map.of("app", "web")).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(Map.of("app", "web")).endMetadata()
                .withNewSpec().addNewContainer().withName("web").withImage("example/web:1")
                .withEnv(new EnvVar("A", "b".repeat(2000), null))
                .withNewResources().withLimits(Map.of("memory", new Quantity("1Gi"))).endResources()
                .addNewPort().withName("http").withContainerPort(8080).endPort()
                .withNewReadinessProbe().withNewHttpGet().withPath("/ready").withPort(new IntOrString("http"))
                .endHttpGet().endReadinessProbe().endContainer()
                .addNewInitContainer().withName("migrate").withImage("example/migrate").addNewPort()
                .withContainerPort(7000).endPort().endInitContainer()
                .endSpec().endTemplate().endSpec().build();
    }

    static ReplicaSet replicaSet(String name, String uid, boolean owned) {
        var b = new ReplicaSetBuilder().withNewMetadata().withName(name).withNamespace("shop").withUid(uid);
        if (owned) {
            b.withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("Deployment")
                    .withName("web").withUid("d-web").withController(true).build());
        }
        return b.endMetadata().withNewSpec().withReplicas(2).withNewTemplate().withNewMetadata()
                .withLabels(Map.of("app", "web")).endMetadata().withNewSpec().addNewContainer().withName("web")
                .addNewPort().withName("http").withContainerPort(8080).endPort().endContainer().endSpec()
                .endTemplate().endSpec().build();
    }

    /** What a keys-only informer store hands back: kind, name and namespace. */
    static <T extends HasMetadata> T keyOnly(T object) {
        try {
            @SuppressWarnings("unchecked")
            var out = (T) object.getClass().getDeclaredConstructor().newInstance();
            out.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                    .withName(object.getMetadata().getName()).withNamespace(object.getMetadata().getNamespace()).build());
            return out;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aWorkloadKeepsWhatTheRulesRead_andNothingElse() {
        var index = new ClusterIndex();
        index.put(deployment());
        var held = (Deployment) index.workload("Deployment", "shop", "web").orElseThrow();
        var c = held.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getPorts()).singleElement().satisfies(p -> assertThat(p.getName()).isEqualTo("http"));
        assertThat(c.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
        assertThat(c.getEnv()).isNullOrEmpty();
        assertThat(c.getImage()).isNull();
        assertThat(c.getResources()).isNull();
        assertThat(held.getSpec().getReplicas()).isEqualTo(3);
        assertThat(held.getSpec().getTemplate().getMetadata().getLabels()).isEqualTo(Map.of("app", "web"));
        assertThat(held.getMetadata().getAnnotations()).as("the guard's own annotations only")
                .isEqualTo(Map.of("upstream-guard.dev/mode", "warn"));
        assertThat(held.getSpec().getTemplate().getSpec().getInitContainers()).as("a plain init container: its name")
                .singleElement().satisfies(i -> assertThat(i.getPorts()).isNullOrEmpty());
    }

    @Test
    void aReducedRecordReadsLikeTheObject_withoutTheEmptyCollectionsOfAParsedOne() {
        var deployment = deployment();
        deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getReadinessProbe()
                .setPeriodSeconds(7);
        var held = (Deployment) Slim.of(deployment);
        var probe = held.getSpec().getTemplate().getSpec().getContainers().get(0).getReadinessProbe();
        assertThat(probe).as("a probe is kept whole").isEqualTo(deployment.getSpec().getTemplate().getSpec()
                .getContainers().get(0).getReadinessProbe());
        assertThat(probe.getAdditionalProperties()).isEmpty();
        assertThat(probe).isNotSameAs(deployment.getSpec().getTemplate().getSpec().getContainers().get(0)
                .getReadinessProbe());

        var ingress = new IngressBuilder().withNewMetadata().withName("web").withNamespace("shop").endMetadata()
                .withNewSpec().withIngressClassName("nginx").withNewDefaultBackend().withNewService()
                .withName("fallback").withNewPort().withNumber(80).endPort().endService().endDefaultBackend()
                .addNewTl().withHosts("shop.example.com").withSecretName("tls").endTl()
                .addNewRule().withHost("shop.example.com").withNewHttp().addNewPath().withPath("/api")
                .withPathType("Prefix").withNewBackend().withNewService().withName("api").withNewPort()
                .withName("http").endPort().endService().endBackend().endPath().endHttp().endRule()
                .addNewRule().withHost("bare.example.com").endRule().endSpec().build();
        var slim = (Ingress) Slim.of(ingress);
        assertThat(slim.getSpec()).as("an Ingress keeps its whole spec").isEqualTo(ingress.getSpec());
        assertThat(slim.getSpec().getRules().get(1).getHttp()).isNull();
        assertThat(slim.getSpec()).isNotSameAs(ingress.getSpec());
        assertThat(new IngressBuilder(slim).build().getSpec()).as("a builder copies a reduced record")
                .isEqualTo(ingress.getSpec());
    }

    @Test
    void thePodsOfOneTemplateShareTheirLabelsPortsAndProbes_butNotTheirState() {
        var index = new ClusterIndex();
        for (var name : List.of("web-1", "web-2")) {
            index.put(new PodBuilder().withNewMetadata().withName(name).withNamespace("shop").withUid("u-" + name)
                    .withLabels(Map.of("app", "web", "pod-template-hash", "7c9f")).endMetadata()
                    .withNewSpec().addNewContainer().withName("web").addNewPort().withName("http")
                    .withContainerPort(8080).endPort().withNewReadinessProbe().withNewHttpGet().withPath("/ready")
                    .withPort(new IntOrString("http")).endHttpGet().endReadinessProbe().endContainer().endSpec()
                    .withNewStatus().addNewCondition().withType("Ready").withStatus(name.equals("web-1") ? "True" : "False")
                    .endCondition().endStatus().build());
        }
        var pods = index.podSourcesSelectedBy("shop", Map.of("app", "web")).stream()
                .sorted(java.util.Comparator.comparing(p -> p.ref().name())).toList();
        assertThat(pods).hasSize(2);
        assertThat(pods.get(0).labels()).isSameAs(pods.get(1).labels());
        assertThat(pods.get(0).ports()).isSameAs(pods.get(1).ports());
        assertThat(pods.get(0).readiness()).isSameAs(pods.get(1).readiness());
        assertThat(pods.get(0).ready()).isTrue();
        assertThat(pods.get(1).ready()).isFalse();
    }

    @Test
    void aReplicaSetADeploymentControlsIsKeptAsItsUids_andForgottenByKey() {
        var index = new ClusterIndex();
        var deployment = deployment();
        index.put(deployment);
        int baseline = index.indexEntries();
        var owned = replicaSet("web-1", "rs-1", true);
        index.put(owned);
        assertThat(index.workload("ReplicaSet", "shop", "web-1")).as("not a pod source of its own").isEmpty();
        assertThat(index.podControllerUids(deployment)).containsExactlyInAnyOrder("d-web", "rs-1");
        assertThat(index.podSourcesSelectedBy("shop", Map.of("app", "web"))).singleElement()
                .satisfies(s -> assertThat(s.ref().kind()).isEqualTo("Deployment"));
        index.remove(keyOnly(owned));
        assertThat(index.podControllerUids(deployment)).containsExactly("d-web");
        assertThat(index.indexEntries()).isEqualTo(baseline);
    }

    @Test
    void anOrphanedReplicaSetBecomesAPodSource_andAnAdoptedOneStopsBeingOne() {
        var index = new ClusterIndex();
        index.put(deployment());
        index.put(replicaSet("web-1", "rs-1", true));
        index.put(replicaSet("web-1", "rs-1", false)); // the Deployment was deleted with --cascade=orphan
        assertThat(index.podSourcesSelectedBy("shop", Map.of("app", "web"))).extracting(s -> s.ref().kind())
                .containsExactlyInAnyOrder("Deployment", "ReplicaSet");
        assertThat(index.podControllerUids(deployment())).containsExactly("d-web");
        index.put(replicaSet("web-1", "rs-1", true)); // adopted again
        assertThat(index.podSourcesSelectedBy("shop", Map.of("app", "web"))).extracting(s -> s.ref().kind())
                .containsExactly("Deployment");
    }

    @Test
    void anEndpointSliceIsForgottenByItsKeyAlone() {
        var index = new ClusterIndex();
        var slice = new EndpointSliceBuilder().withNewMetadata().withName("web-abc12").withNamespace("shop")
                .withLabels(Map.of("kubernetes.io/service-name", "web")).endMetadata().withAddressType("IPv4")
                .addNewEndpoint().withAddresses(List.of("10.0.0.1")).withNewConditions().withReady(true)
                .endConditions().endEndpoint().build();
        index.put(slice);
        assertThat(index.readyEndpoints("shop", "web")).isEqualTo(1);
        index.remove(keyOnly(slice));
        assertThat(index.readyEndpoints("shop", "web")).isEqualTo(-1);
        assertThat(index.indexEntries()).isZero();
    }
}
