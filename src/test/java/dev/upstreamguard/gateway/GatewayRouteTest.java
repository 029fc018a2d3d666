package dev.upstreamguard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import org.junit.jupiter.api.Test;

import dev.upstreamguard.cluster.ObjectRef;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;

/** Reading HTTPRoutes and GRPCRoutes: every backendRef with its defaults, where it matches, hostnames, parentRefs. */
class GatewayRouteTest {

    private static final String SHOP_WEB = """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: web, namespace: shop}
            spec:
              parentRefs:
              - name: gw
                namespace: infra
                sectionName: https
              - group: ""
                kind: Service
                name: web
                port: 8080
              hostnames: [shop.example.com, www.example.com]
              rules:
              - matches:
                - path: {type: Exact, value: /healthz}
                backendRefs:
                - name: health
                  port: 8080
              - matches:
                - path: {type: PathPrefix, value: /catalog}
                - path: {type: PathPrefix, value: /search}
                backendRefs:
                - name: catalog
                  namespace: backend
                  port: 80
                  weight: 90
                - name: catalog-canary
                  kind: Service
                  group: ""
                  port: 80
                  weight: 10
                - name: bucket
                  group: storage.example.com
                  kind: Bucket
              - backendRefs:
                - name: fallback
            """;

    @Test
    void listsEveryBackendRef_withFieldPathAndDefaults() {
        var route = Yaml.route(SHOP_WEB);

        assertThat(route.ref()).isEqualTo(new ObjectRef("HTTPRoute", "shop", "web"));
        assertThat(route.backends()).extracting(RouteBackend::field, RouteBackend::group, RouteBackend::kind,
                RouteBackend::namespace, RouteBackend::name, RouteBackend::port, RouteBackend::weight).containsExactly(
                tuple("rules[0].backendRefs[0]", "", "Service", "shop", "health", 8080, 1),
                tuple("rules[1].backendRefs[0]", "", "Service", "backend", "catalog", 80, 90),
                tuple("rules[1].backendRefs[1]", "", "Service", "shop", "catalog-canary", 80, 10),
                tuple("rules[1].backendRefs[2]", "storage.example.com", "Bucket", "shop", "bucket", null, 1),
                tuple("rules[2].backendRefs[0]", "", "Service", "shop", "fallback", null, 1));
    }

    @Test
    void onlyCoreServicesAreJudged_otherKindsAreListedButNotServices() {
        var route = Yaml.route(SHOP_WEB);

        assertThat(route.backends()).filteredOn(b -> !b.isService()).extracting(RouteBackend::name)
                .containsExactly("bucket");
        assertThat(route.serviceBackends()).extracting(RouteBackend::name)
                .containsExactly("health", "catalog", "catalog-canary", "fallback");
    }

    @Test
    void aServiceOfAnotherGroupIsNotACoreService() {
        var route = Yaml.route("""
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: web, namespace: shop}
                spec:
                  rules:
                  - backendRefs:
                    - {name: web, group: multicluster.x-k8s.io, kind: ServiceImport, port: 80}
                    - {name: web, group: example.com, kind: Service, port: 80}
                """);

        assertThat(route.backends()).hasSize(2).noneMatch(RouteBackend::isService);
    }

    @Test
    void whereNamesFirstHostnameAndFirstMatch_aPrefixBare_otherTypesNamed() {
        var backends = Yaml.route(SHOP_WEB).backends();

        assertThat(backends.get(0).where()).isEqualTo("shop.example.com Exact /healthz");
        assertThat(backends.get(1).where()).isEqualTo("shop.example.com /catalog");
        assertThat(backends.get(4).match()).as("a rule without matches matches prefix /").isEqualTo("/");
    }

    @Test
    void whereShowsAStar_whenTheRouteNamesNoHostname() {
        var route = Yaml.route("""
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: web, namespace: shop}
                spec:
                  rules:
                  - matches:
                    - headers: [{name: x-canary, value: "1"}]
                    backendRefs: [{name: web, port: 80}]
                """);

        assertThat(route.hostnames()).isEmpty();
        assertThat(route.backends().get(0).host()).isNull();
        assertThat(route.backends().get(0).where()).isEqualTo("* /");
    }

    @Test
    void crossNamespace_onlyWhenTheBackendNamespaceDiffersFromTheRoutes() {
        var backends = Yaml.route(SHOP_WEB).backends();

        assertThat(backends.get(1).crossNamespace()).isTrue();
        assertThat(backends.get(0).crossNamespace()).isFalse();
        assertThat(backends.get(1).target()).isEqualTo(new ObjectRef("Service", "backend", "catalog"));
    }

    @Test
    void readsHostnamesAndParentRefs_withTheirDefaults() {
        var route = Yaml.route(SHOP_WEB);

        assertThat(route.hostnames()).containsExactly("shop.example.com", "www.example.com");
        assertThat(route.parentRefs()).containsExactly(
                new ParentRef("parentRefs[0]", "gateway.networking.k8s.io", "Gateway", "infra", "gw", "https", null),
                new ParentRef("parentRefs[1]", "", "Service", "shop", "web", null, 8080));
        assertThat(route.gatewayParents()).extracting(ParentRef::name).containsExactly("gw");
    }

    @Test
    void grpcRouteBackends_describeTheirMethodMatch() {
        var route = Yaml.route("""
                apiVersion: gateway.networking.k8s.io/v1
                kind: GRPCRoute
                metadata: {name: greeter, namespace: grpc}
                spec:
                  parentRefs: [{name: gw}]
                  hostnames: [grpc.example.com]
                  rules:
                  - matches:
                    - method: {service: helloworld.Greeter, method: SayHello}
                    backendRefs: [{name: v1, port: 8080}]
                  - matches:
                    - method: {service: helloworld.Greeter}
                    backendRefs: [{name: v2, port: 8080}]
                  - matches:
                    - method: {type: RegularExpression, method: "Say.*"}
                    backendRefs: [{name: v3, port: 8080}]
                  - backendRefs: [{name: v4, port: 8080, namespace: other}]
                """);

        assertThat(route.kind()).isEqualTo("GRPCRoute");
        assertThat(route.backends()).extracting(RouteBackend::where).containsExactly(
                "grpc.example.com helloworld.Greeter/SayHello",
                "grpc.example.com helloworld.Greeter/*",
                "grpc.example.com RegularExpression */Say.*",
                "grpc.example.com");
        assertThat(route.backends().get(3).namespace()).isEqualTo("other");
        assertThat(route.parentRefs().get(0).namespace()).isEqualTo("grpc");
    }

    @Test
    void routeKey_staysTheSame_whenRulesAreReordered() {
        var before = Yaml.route(SHOP_WEB).backends().get(1);
        var reordered = GatewayRoute.of(new HTTPRouteBuilder(Yaml.one(SHOP_WEB,
                io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute.class)).editSpec()
                .addToRules(0, new io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRuleBuilder()
                        .addNewBackendRef().withName("new").withPort(80).endBackendRef().build())
                .endSpec().build());
        var after = reordered.backends().stream().filter(b -> b.name().equals("catalog")).findFirst().orElseThrow();

        assertThat(after.field()).isEqualTo("rules[2].backendRefs[0]").isNotEqualTo(before.field());
        assertThat(after.routeKey()).isEqualTo(before.routeKey());
    }

    @Test
    void aNamedRuleKeysByItsName() {
        var route = Yaml.route("""
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: web, namespace: shop}
                spec:
                  rules:
                  - name: catalog
                    matches: [{path: {type: PathPrefix, value: /catalog}}]
                    backendRefs: [{name: catalog, port: 80}]
                """);

        assertThat(route.backends().get(0).routeKey()).isEqualTo("rule catalog -> Service shop/catalog");
    }

    @Test
    void aRouteWithoutSpecHasNothing() {
        var route = GatewayRoute.of(new HTTPRouteBuilder().withNewMetadata().withName("bare").withNamespace("shop")
                .endMetadata().build());

        assertThat(route.backends()).isEmpty();
        assertThat(route.parentRefs()).isEmpty();
        assertThat(route.hostnames()).isEmpty();
    }

    @Test
    void refusesObjectsThatAreNotRoutes() {
        var service = new ServiceBuilder().withNewMetadata().withName("web").withNamespace("shop").endMetadata().build();

        assertThat(GatewayRoute.isRoute(service)).isFalse();
        assertThatThrownBy(() -> GatewayRoute.of(service)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Service");
    }
}
