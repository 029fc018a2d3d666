package dev.upstreamguard.policy;

import static dev.upstreamguard.policy.DecisionTableTest.assertDenied;
import static dev.upstreamguard.policy.DecisionTableTest.assertSilent;
import static dev.upstreamguard.policy.DecisionTableTest.assertWarned;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.upstreamguard.cluster.ClusterIndex;
import dev.upstreamguard.cluster.ManifestLoader;
import dev.upstreamguard.cluster.ObjectRef;
import dev.upstreamguard.support.LaggingCluster;
import dev.upstreamguard.support.Reviews;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** One test per Gateway API row of the decision table (DESIGN §2), and the rows every kind shares. */
class GatewayDecisionTest {
    static final KubernetesSerialization K8S = new KubernetesSerialization();
    static final List<Path> FILES = List.of(Path.of("src/test/resources/gateway-api/shop.yaml"),
            Path.of("src/test/resources/gateway-api/cross-namespace.yaml"));
    ClusterIndex cluster;
    Map<ObjectRef, HasMetadata> apiServer;

    @BeforeEach
    void load() {
        cluster = new ClusterIndex();
        apiServer = new HashMap<>();
        for (var file : FILES) {
            for (var o : new ManifestLoader().read(file)) {
                cluster.put(o);
                apiServer.put(ObjectRef.of(o), o);
            }
        }
    }

    <T extends HasMetadata> T live(Class<T> type, String kind, String namespace, String name) {
        return type.cast(K8S.clone(apiServer.get(new ObjectRef(kind, namespace, name))));
    }

    HTTPRoute web() {
        return live(HTTPRoute.class, "HTTPRoute", "shop", "web");
    }

    HTTPRoute catalog() {
        return live(HTTPRoute.class, "HTTPRoute", "shop", "catalog");
    }

    Gateway gateway() {
        return live(Gateway.class, "Gateway", "shop", "gw");
    }

    ReferenceGrant grant() {
        return live(ReferenceGrant.class, "ReferenceGrant", "backend", "allow-shop");
    }

    HTTPRoute newRoute(String name, String service, String namespace) {
        var r = web();
        r.getMetadata().setName(name);
        r.getMetadata().setUid(null);
        r.getSpec().setHostnames(List.of(name + ".example.com"));
        var ref = r.getSpec().getRules().get(0).getBackendRefs().get(0);
        ref.setName(service);
        ref.setNamespace(namespace);
        return r;
    }

    AdmissionResponse answer(Reviews r) {
        return answer(r, PolicySettings.defaults());
    }

    AdmissionResponse answer(Reviews r, PolicySettings settings) {
        return r.answerWith(Reviews.handler(cluster, settings));
    }

    // ---- HTTPRoute / GRPCRoute CREATE: what may come later warns -----------------------------------------------

    @Test
    void createToAServiceNotThereYet_warns() {
        assertWarned(answer(Reviews.create(newRoute("store", "store", null))), "route-backend-missing", "not found yet: ");
    }

    @Test
    void createIntoANamespaceWithoutAGrantYet_warns() {
        var r = answer(Reviews.create(newRoute("pay", "payments", "billing")));
        assertWarned(r, "route-backend-not-permitted", "not found yet: ");
    }

    @Test
    void createWithoutItsGatewayYet_warns() {
        var route = newRoute("store", "web", null);
        route.getSpec().getParentRefs().get(0).setName("gw-next");
        assertWarned(answer(Reviews.create(route)), "route-not-attached", "not found yet: ");
    }

    @Test
    void createOnAListenerThatDoesNotAdmitItsHost_warns() {
        var route = newRoute("store", "web", null);
        route.getSpec().setHostnames(List.of("store.example.org"));
        assertWarned(answer(Reviews.create(route)), "route-not-attached", "not attached yet: ");
    }

    // ---- a port the existing Service does not expose denies, on CREATE and UPDATE -------------------------------

    @Test
    void createWithATargetPortForTheServicePort_isDenied() {
        var route = newRoute("store", "web", null);
        route.getSpec().getRules().get(0).getBackendRefs().get(0).setPort(8080);
        var r = answer(Reviews.create(route));
        assertDenied(r, "route-backend-port-missing");
        assertThat(r.getStatus().getMessage()).contains("Fix: use port 80").contains("apply the Service first");
    }

    @Test
    void grpcRoutePortTypo_isDenied() {
        var grpc = new GRPCRouteBuilder().withNewMetadata().withName("api").withNamespace("shop").endMetadata()
                .withNewSpec().addNewParentRef().withName("gw").endParentRef().addNewRule().addNewBackendRef()
                .withName("web").withPort(81).endBackendRef().endRule().endSpec().build();
        assertDenied(answer(Reviews.create(grpc)), "route-backend-port-missing");
    }

    // ---- UPDATE: a backendRef that resolved and no longer does, a route that no longer attaches ----------------

    @Test
    void anExistingBackendRefMovedToAMissingService_isDenied() {
        var route = web();
        route.getSpec().getRules().get(0).getBackendRefs().get(0).setName("web-nxt");
        assertDenied(answer(Reviews.update(route, web())), "route-backend-missing");
    }

    @Test
    void anExistingBackendRefMovedIntoANamespaceWithoutAGrant_isDenied() {
        var route = catalog();
        route.getSpec().getRules().get(0).getBackendRefs().get(0).setNamespace("billing");
        assertDenied(answer(Reviews.update(route, catalog())), "route-backend-not-permitted");
    }

    @Test
    void anAttachedRouteThatNoLongerAttaches_isDenied() {
        var route = web();
        route.getSpec().getParentRefs().get(0).setSectionName("https");
        var r = answer(Reviews.update(route, web()));
        assertDenied(r, "route-not-attached");
        assertThat(r.getStatus().getMessage()).contains("Gateway shop/gw").contains("404");
    }

    @Test
    void aNewBackendRefBesideTheOldOnes_onlyWarnsWhileItsServiceIsMissing() {
        var route = web();
        var refs = route.getSpec().getRules().get(0).getBackendRefs();
        var canary = K8S.clone(refs.get(0));
        canary.setName("web-canary");
        refs.add(canary);
        assertWarned(answer(Reviews.update(route, web())), "route-backend-missing", "not found yet: ");
    }

    @Test
    void aRouteThatNeverAttached_onlyWarnsOnUpdate() {
        var detached = web();
        detached.getSpec().getParentRefs().get(0).setSectionName("https");
        cluster.put(detached);
        var edited = K8S.clone(detached);
        edited.getSpec().getRules().get(0).getMatches().get(0).getPath().setValue("/shop");
        assertWarned(answer(Reviews.update(edited, detached)), "route-not-attached", "already broken: ");
    }

    // ---- Gateway UPDATE: detaching live routes denies, with the staging hint ------------------------------------

    @Test
    void aGatewayListenerRenamed_detachesItsRoutes_andIsDenied() {
        var gw = gateway();
        gw.getSpec().getListeners().get(0).setName("web");
        var r = answer(Reviews.update(gw, gateway()));
        assertDenied(r, "route-not-attached");
        assertThat(r.getStatus().getMessage()).contains("HTTPRoute shop/web").contains("HTTPRoute shop/catalog")
                .contains("add the new listener beside the old");
    }

    @Test
    void aGatewayHostnameNarrowedAwayFromItsRoutes_isDenied() {
        var gw = gateway();
        gw.getSpec().getListeners().get(0).setHostname("*.example.org");
        assertDenied(answer(Reviews.update(gw, gateway())), "route-not-attached");
    }

    @Test
    void aGatewayAllowedRoutesNarrowedToAnotherKind_isDenied() {
        var gw = gateway();
        gw.getSpec().getListeners().get(0).setAllowedRoutes(new io.fabric8.kubernetes.api.model.gatewayapi.v1
                .AllowedRoutesBuilder().addNewKind().withKind("GRPCRoute").endKind().build());
        assertDenied(answer(Reviews.update(gw, gateway())), "route-not-attached");
    }

    @Test
    void aGatewayDelete_onlyWarns_unlessDeletesAreDenied() {
        assertWarned(answer(Reviews.delete(gateway())), "route-not-attached", "on delete: ");
        assertDenied(answer(Reviews.delete(gateway()), PolicySettings.defaults().withDenyDeletes(true)),
                "route-not-attached");
    }

    // ---- ReferenceGrant UPDATE: withdrawing a permission a live route uses denies -------------------------------

    @Test
    void aGrantNarrowedAwayFromALiveRoute_isDenied() {
        var g = grant();
        g.getSpec().getTo().get(0).setName("payments");
        var r = answer(Reviews.update(g, grant()));
        assertDenied(r, "route-backend-not-permitted");
        assertThat(r.getStatus().getMessage()).contains("HTTPRoute shop/catalog").contains("Service backend/catalog");
    }

    @Test
    void aV1GrantNarrowedAwayFromALiveRoute_isDeniedToo() {
        // fabric8 has no class for the v1 ReferenceGrant: the review carries it, and it is read, as a generic resource
        var yaml = """
                apiVersion: gateway.networking.k8s.io/v1
                kind: ReferenceGrant
                metadata: {name: allow-shop, namespace: backend}
                spec:
                  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: shop}]
                  to: [{group: "", kind: Service, name: %s}]
                """;
        var before = new ManifestLoader().parse(yaml.formatted("catalog"), "v1 grant").get(0);
        var after = new ManifestLoader().parse(yaml.formatted("payments"), "v1 grant").get(0);
        assertThat(after).isInstanceOf(io.fabric8.kubernetes.api.model.GenericKubernetesResource.class);
        assertDenied(answer(Reviews.update(after, before)), "route-backend-not-permitted");
        assertSilent(answer(Reviews.update(before, before)));
    }

    @Test
    void aGrantWidened_isSilent() {
        var g = grant();
        g.getSpec().getFrom().add(new io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrantFromBuilder()
                .withGroup("gateway.networking.k8s.io").withKind("GRPCRoute").withNamespace("shop").build());
        assertSilent(answer(Reviews.update(g, grant())));
    }

    @Test
    void aGrantDelete_onlyWarns() {
        assertWarned(answer(Reviews.delete(grant())), "route-backend-not-permitted", "on delete: ");
    }

    // ---- Service UPDATE that renumbers a port an HTTPRoute names: warning, the route usually follows ------------

    @Test
    void aServicePortRenumbered_underAnHttpRoute_onlyWarns() {
        var s = live(Service.class, "Service", "shop", "web");
        s.getSpec().getPorts().get(0).setPort(8000);
        assertWarned(answer(Reviews.update(s, live(Service.class, "Service", "shop", "web"))),
                "route-backend-port-missing", "HTTPRoute may follow: ");
    }

    // ---- the rows every kind shares -----------------------------------------------------------------------------

    @Test
    void dryRunsWarnModeWaiversAndNoOps_forRoutes() {
        var broken = web();
        broken.getSpec().getRules().get(0).getBackendRefs().get(0).setName("web-nxt");
        assertWarned(answer(Reviews.update(broken, web()).dryRun()), "route-backend-missing", "dry run: ");
        assertWarned(answer(Reviews.update(broken, web()), PolicySettings.defaults().withMode(Mode.WARN)),
                "route-backend-missing", "would deny: ");
        var waived = K8S.clone(broken);
        waived.getMetadata().setAnnotations(Map.of("upstream-guard.dev/skip", "route-backend-missing"));
        assertWarned(answer(Reviews.update(waived, web())), "route-backend-missing", "waived: ");
        var relabelled = web();
        relabelled.getMetadata().setLabels(Map.of("team", "storefront"));
        assertSilent(answer(Reviews.update(relabelled, web())));
    }

    @Test
    void aGrpcRouteIsJudgedLikeAnHttpRoute() {
        var grpc = new GRPCRouteBuilder().withNewMetadata().withName("api").withNamespace("shop").endMetadata()
                .withNewSpec().addNewParentRef().withName("gw").endParentRef().addNewRule().addNewBackendRef()
                .withName("web").withPort(80).endBackendRef().endRule().endSpec().build();
        assertSilent(answer(Reviews.create(grpc)));
        cluster.put(grpc);
        apiServer.put(ObjectRef.of(grpc), grpc);
        var moved = live(GRPCRoute.class, "GRPCRoute", "shop", "api");
        moved.getSpec().getRules().get(0).getBackendRefs().get(0).setName("grpc-gone");
        assertDenied(answer(Reviews.update(moved, live(GRPCRoute.class, "GRPCRoute", "shop", "api"))),
                "route-backend-missing");
    }

    // ---- confirm before deny covers the Gateway API: a Gateway created a moment before ---------------------------

    @Test
    void aRouteMovedToAGatewayTheCacheHasNotSeen_isAllowedOnAFreshRead() {
        var lagging = new LaggingCluster();
        apiServer.values().forEach(lagging::seed);
        var next = gateway();
        next.getMetadata().setName("gw-next");
        lagging.put(next); // the API server has it; the cache has not heard yet
        var route = web();
        route.getSpec().getParentRefs().get(0).setName("gw-next");
        var handler = Reviews.handler(lagging.cache(), PolicySettings.defaults())
                .confirmingWith(lagging, java.time.Duration.ofSeconds(2));
        var r = Reviews.update(route, web()).answerWith(handler);
        assertThat(r.getAllowed()).as(String.valueOf(r.getStatus())).isTrue();
        assertThat(handler.confirmations().overturned()).isEqualTo(1);
        var typo = web();
        typo.getSpec().getParentRefs().get(0).setName("gw-nxt");
        assertDenied(Reviews.update(typo, web()).answerWith(handler), "route-not-attached");
    }
}
