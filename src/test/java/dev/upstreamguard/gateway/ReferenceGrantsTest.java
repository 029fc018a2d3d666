package dev.upstreamguard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.upstreamguard.cluster.ObjectRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ServiceBuilder;

/**
 * {@code route-backend-not-permitted}: a backendRef into another namespace needs a ReferenceGrant there whose from
 * names the route's kind and namespace and whose to names the Service (or every Service). Conformance:
 * HTTPRouteReferenceGrant, HTTPRouteInvalidReferenceGrant, HTTPRoutePartiallyInvalidViaInvalidReferenceGrant.
 */
class ReferenceGrantsTest {

    private static final GatewayRoute SHOP_ROUTE = Yaml.route("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: web, namespace: shop}
            spec:
              hostnames: [shop.example.com]
              rules:
              - matches: [{path: {type: PathPrefix, value: /tea}}]
                backendRefs:
                - {name: tea, namespace: cafe, port: 80}
                - {name: local, port: 80}
            """);
    private static final RouteBackend TEA = SHOP_ROUTE.backends().get(0);

    private static Grant grant(String apiVersion, String name, String fromKind, String fromNamespace, String toName) {
        var to = toName == null ? "{group: \"\", kind: Service}" : "{group: \"\", kind: Service, name: " + toName + "}";
        return Grant.of(Yaml.all("""
                apiVersion: %s
                kind: ReferenceGrant
                metadata: {name: %s, namespace: cafe}
                spec:
                  from:
                  - {group: gateway.networking.k8s.io, kind: %s, namespace: %s}
                  to:
                  - %s
                """.formatted(apiVersion, name, fromKind, fromNamespace, to)).get(0));
    }

    private static Grant grant(String name, String fromKind, String fromNamespace, String toName) {
        return grant("gateway.networking.k8s.io/v1beta1", name, fromKind, fromNamespace, toName);
    }

    @Test
    void sameNamespace_needsNoGrant() {
        var p = ReferenceGrants.permission(SHOP_ROUTE.backends().get(1), List.of());

        assertThat(p.permitted()).isTrue();
        assertThat(p.sameNamespace()).isTrue();
        assertThat(p.grant()).isNull();
    }

    @Test
    void crossNamespace_withoutAnyGrant_isNotPermitted() {
        var p = ReferenceGrants.permission(TEA, List.of());

        assertThat(p.permitted()).isFalse();
        assertThat(p.explanation()).isEqualTo("no ReferenceGrant in namespace cafe permits it");
        assertThat(p.fix()).isEqualTo("add a ReferenceGrant in namespace cafe with from {group: "
                + "gateway.networking.k8s.io, kind: HTTPRoute, namespace: shop} and to {group: \"\", kind: Service, "
                + "name: tea}, or point the backendRef at a Service in namespace shop.");
    }

    @Test
    void aGrantForEveryServiceOfTheNamespace_permitsIt_andIsNamed() {
        var p = ReferenceGrants.permission(TEA, List.of(grant("allow", "HTTPRoute", "shop", null)));

        assertThat(p.permitted()).isTrue();
        assertThat(p.grant()).isEqualTo(new ObjectRef("ReferenceGrant", "cafe", "allow"));
    }

    @Test
    void aGrantNamingThatService_permitsIt() {
        assertThat(ReferenceGrants.permission(TEA, List.of(grant("allow", "HTTPRoute", "shop", "tea"))).permitted())
                .isTrue();
    }

    @Test
    void aGrantNamingAnotherService_doesNot() {
        var p = ReferenceGrants.permission(TEA, List.of(grant("allow", "HTTPRoute", "shop", "coffee")));

        assertThat(p.permitted()).isFalse();
        assertThat(p.explanation()).isEqualTo("ReferenceGrant cafe/allow names Service coffee, not tea");
    }

    @Test
    void aGrantFromAnotherNamespace_doesNot() {
        var p = ReferenceGrants.permission(TEA, List.of(grant("allow", "HTTPRoute", "default", null)));

        assertThat(p.permitted()).isFalse();
        assertThat(p.explanation()).isEqualTo("ReferenceGrant cafe/allow permits HTTPRoute from namespace default, "
                + "not shop");
    }

    @Test
    void aGrantForAnotherRouteKind_doesNot() {
        var p = ReferenceGrants.permission(TEA, List.of(grant("allow", "GRPCRoute", "shop", null)));

        assertThat(p.permitted()).isFalse();
        assertThat(p.explanation()).isEqualTo("ReferenceGrant cafe/allow permits GRPCRoute only, not HTTPRoute");
    }

    @Test
    void aGrantFromTheRightKindOfAnotherGroup_doesNot() {
        var g = Grant.of(Yaml.all("""
                apiVersion: gateway.networking.k8s.io/v1beta1
                kind: ReferenceGrant
                metadata: {name: allow, namespace: cafe}
                spec:
                  from: [{group: example.com, kind: HTTPRoute, namespace: shop}]
                  to: [{group: "", kind: Service}]
                """).get(0));

        var p = ReferenceGrants.permission(TEA, List.of(g));

        assertThat(p.permitted()).isFalse();
        assertThat(p.explanation()).contains("of group example.com, not gateway.networking.k8s.io");
    }

    @Test
    void aGrantForSecrets_doesNotPermitAService() {
        var g = Grant.of(Yaml.all("""
                apiVersion: gateway.networking.k8s.io/v1beta1
                kind: ReferenceGrant
                metadata: {name: certs, namespace: cafe}
                spec:
                  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: shop}]
                  to: [{group: "", kind: Secret}]
                """).get(0));

        var p = ReferenceGrants.permission(TEA, List.of(g));

        assertThat(p.permitted()).isFalse();
        assertThat(p.explanation()).isEqualTo("ReferenceGrant cafe/certs grants Secret only, not Service");
    }

    @Test
    void bothHalvesWrong_areBothSaid_andEveryNearMissIsListed() {
        var p = ReferenceGrants.permission(TEA, List.of(grant("b", "HTTPRoute", "default", "coffee"),
                grant("a", "GRPCRoute", "shop", null)));

        assertThat(p.explanation()).isEqualTo("ReferenceGrant cafe/a permits GRPCRoute only, not HTTPRoute; "
                + "ReferenceGrant cafe/b permits HTTPRoute from namespace default, not shop and names Service coffee, "
                + "not tea");
    }

    @Test
    void aGrantInAnotherNamespace_isIgnored() {
        var elsewhere = Grant.of(Yaml.all("""
                apiVersion: gateway.networking.k8s.io/v1beta1
                kind: ReferenceGrant
                metadata: {name: allow, namespace: shop}
                spec:
                  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: shop}]
                  to: [{group: "", kind: Service}]
                """).get(0));

        assertThat(ReferenceGrants.permission(TEA, List.of(elsewhere)).permitted()).isFalse();
    }

    @Test
    void oneGrantThatPermits_isEnough() {
        var p = ReferenceGrants.permission(TEA, List.of(grant("a", "GRPCRoute", "shop", null),
                grant("b", "HTTPRoute", "shop", "tea")));

        assertThat(p.permitted()).isTrue();
        assertThat(p.grant().name()).isEqualTo("b");
    }

    @Test
    void grpcRoutesNeedAGrantForGrpcRoutes() {
        var grpc = Yaml.route("""
                apiVersion: gateway.networking.k8s.io/v1
                kind: GRPCRoute
                metadata: {name: greeter, namespace: shop}
                spec:
                  rules:
                  - backendRefs: [{name: tea, namespace: cafe, port: 80}]
                """).backends().get(0);

        assertThat(ReferenceGrants.permission(grpc, List.of(grant("a", "GRPCRoute", "shop", null))).permitted()).isTrue();
        assertThat(ReferenceGrants.permission(grpc, List.of(grant("a", "HTTPRoute", "shop", null))).permitted()).isFalse();
    }

    @Test
    void readsEveryServedVersion_v1AsAGenericResource() {
        var v1 = Yaml.all("""
                apiVersion: gateway.networking.k8s.io/v1
                kind: ReferenceGrant
                metadata: {name: allow, namespace: cafe}
                spec:
                  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: shop}]
                  to: [{group: "", kind: Service, name: tea}]
                """).get(0);

        assertThat(v1).isInstanceOf(GenericKubernetesResource.class);
        assertThat(Grant.isGrant(v1)).isTrue();
        var expected = new Grant(new ObjectRef("ReferenceGrant", "cafe", "allow"),
                List.of(new Grant.From("gateway.networking.k8s.io", "HTTPRoute", "shop")),
                List.of(new Grant.To("", "Service", "tea")));
        assertThat(Grant.of(v1)).isEqualTo(expected);
        assertThat(grant("gateway.networking.k8s.io/v1beta1", "allow", "HTTPRoute", "shop", "tea")).isEqualTo(expected);
        assertThat(grant("gateway.networking.k8s.io/v1alpha2", "allow", "HTTPRoute", "shop", "tea")).isEqualTo(expected);
    }

    @Test
    void aToEntryWithAnEmptyName_coversEveryService() {
        var g = grant("allow", "HTTPRoute", "shop", "\"\"");

        assertThat(g.to().get(0).name()).isNull();
        assertThat(ReferenceGrants.permission(TEA, List.of(g)).permitted()).isTrue();
    }

    @Test
    void refusesObjectsThatAreNotGrants() {
        var service = new ServiceBuilder().withNewMetadata().withName("tea").withNamespace("cafe").endMetadata().build();

        assertThat(Grant.isGrant(service)).isFalse();
        assertThatThrownBy(() -> Grant.of(service)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withdrawn_listsBackendsTheOldGrantsPermittedAndTheNewOnesDoNot() {
        var before = List.of(grant("allow", "HTTPRoute", "shop", null));
        var narrowed = List.of(grant("allow", "HTTPRoute", "shop", "coffee"));

        assertThat(ReferenceGrants.withdrawn(SHOP_ROUTE.backends(), before, narrowed)).singleElement()
                .satisfies(p -> {
                    assertThat(p.backend()).isEqualTo(TEA);
                    assertThat(p.explanation()).isEqualTo("ReferenceGrant cafe/allow names Service coffee, not tea");
                });
        assertThat(ReferenceGrants.withdrawn(SHOP_ROUTE.backends(), before, List.of())).hasSize(1);
        assertThat(ReferenceGrants.withdrawn(SHOP_ROUTE.backends(), before, before)).isEmpty();
        assertThat(ReferenceGrants.withdrawn(SHOP_ROUTE.backends(), List.of(), List.of())).as("never permitted")
                .isEmpty();
    }
}
