package dev.upstreamguard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;

/** Reading {@code status.parents} and finding where a controller's conditions contradict our own judgement. */
class RouteStatusesTest {
    private static final Gateway GW = Yaml.one("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: gw, namespace: shop}
            spec:
              gatewayClassName: nginx
              listeners:
              - {name: http, port: 80, protocol: HTTP}
            """, Gateway.class);

    private static HTTPRoute route(String sectionName, String acceptedStatus, String acceptedReason,
                                   long observedGeneration) {
        return Yaml.one("""
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: web, namespace: shop, generation: 3}
                spec:
                  parentRefs: [{name: gw, sectionName: %1$s}]
                  rules:
                  - backendRefs: [{name: tea, namespace: cafe, port: 80}]
                status:
                  parents:
                  - parentRef: {group: gateway.networking.k8s.io, kind: Gateway, name: gw, sectionName: %1$s}
                    controllerName: gateway.nginx.org/nginx-gateway-controller
                    conditions:
                    - {type: Accepted, status: "%2$s", reason: %3$s, message: "the controller says so", observedGeneration: %4$d, lastTransitionTime: "2026-01-01T00:00:00Z"}
                    - {type: ResolvedRefs, status: "False", reason: RefNotPermitted, observedGeneration: %4$d, lastTransitionTime: "2026-01-01T00:00:00Z"}
                  - parentRef: {name: gw, namespace: other}
                    controllerName: istio.io/gateway-controller
                    conditions: []
                """.formatted(sectionName, acceptedStatus, acceptedReason, observedGeneration), HTTPRoute.class);
    }

    private static Attachment ours(HTTPRoute route) {
        var r = GatewayRoute.of(route);
        return Attachments.check(r, r.parentRefs().get(0), Yaml.gateways(GW), Yaml.labels());
    }

    @Test
    void readsEveryParentEntry_withControllerAndConditions() {
        var statuses = RouteStatuses.of(route("http", "True", "Accepted", 3));

        assertThat(statuses).hasSize(2);
        var first = statuses.get(0);
        assertThat(first.controllerName()).isEqualTo("gateway.nginx.org/nginx-gateway-controller");
        assertThat(first.parentRef().namespace()).as("defaults to the route's").isEqualTo("shop");
        assertThat(first.accepted()).isEqualTo(new ParentStatus.Condition("True", "Accepted", "the controller says so", 3L));
        assertThat(first.resolvedRefs().isFalse()).isTrue();
        assertThat(first.resolvedRefs().reason()).isEqualTo("RefNotPermitted");
        assertThat(statuses.get(1).accepted()).isNull();
    }

    @Test
    void matchesEntriesToTheSpecParentRef_whateverDefaultsTheControllerFilledIn() {
        var route = route("http", "True", "Accepted", 3);
        var parent = GatewayRoute.of(route).parentRefs().get(0);

        assertThat(RouteStatuses.about(RouteStatuses.of(route), parent)).singleElement()
                .extracting(ParentStatus::controllerName).isEqualTo("gateway.nginx.org/nginx-gateway-controller");
    }

    @Test
    void agreement_isNoContradiction() {
        var route = route("http", "True", "Accepted", 3);

        assertThat(RouteStatuses.contradiction(ours(route), RouteStatuses.of(route).get(0), 3L)).isEmpty();
    }

    @Test
    void controllerRejectsWhatWeFindAttached_isAContradiction() {
        var route = route("http", "False", "NotAllowedByListeners", 3);

        assertThat(RouteStatuses.contradiction(ours(route), RouteStatuses.of(route).get(0), 3L)).hasValueSatisfying(
                s -> assertThat(s).contains("gateway.nginx.org/nginx-gateway-controller", "Accepted=False",
                        "NotAllowedByListeners", "attaches to Gateway shop/gw"));
    }

    @Test
    void controllerAcceptsWhatWeFindDetached_isAContradiction() {
        var route = route("https", "True", "Accepted", 3);

        assertThat(RouteStatuses.contradiction(ours(route), RouteStatuses.of(route).get(0), 3L)).hasValueSatisfying(
                s -> assertThat(s).contains("Accepted=True", "no listener named \"https\"", "NoMatchingParent"));
    }

    @Test
    void aStaleCondition_saysNothing() {
        var route = route("http", "False", "NotAllowedByListeners", 2);

        assertThat(RouteStatuses.contradiction(ours(route), RouteStatuses.of(route).get(0), 3L)).isEmpty();
    }

    @Test
    void refNotPermitted_whileWeFindEveryBackendPermitted_isAContradiction() {
        var route = route("http", "True", "Accepted", 3);
        var backend = GatewayRoute.of(route).backends().get(0);
        var grant = new Grant(new dev.upstreamguard.cluster.ObjectRef("ReferenceGrant", "cafe", "allow"),
                List.of(new Grant.From("gateway.networking.k8s.io", "HTTPRoute", "shop")),
                List.of(new Grant.To("", "Service", null)));
        var permitted = List.of(ReferenceGrants.permission(backend, List.of(grant)));
        var refused = List.of(ReferenceGrants.permission(backend, List.of()));

        assertThat(RouteStatuses.refsContradiction(permitted, RouteStatuses.of(route).get(0), 3L))
                .hasValueSatisfying(s -> assertThat(s).contains("RefNotPermitted", "every backendRef is permitted"));
        assertThat(RouteStatuses.refsContradiction(refused, RouteStatuses.of(route).get(0), 3L)).isEmpty();
    }

    @Test
    void readsGrpcRouteStatus_andNothingWithoutStatus() {
        var grpc = Yaml.one("""
                apiVersion: gateway.networking.k8s.io/v1
                kind: GRPCRoute
                metadata: {name: greeter, namespace: shop}
                spec:
                  parentRefs: [{name: gw}]
                status:
                  parents:
                  - parentRef: {name: gw}
                    controllerName: example.com/gw
                    conditions:
                    - {type: Accepted, status: "False", reason: NoMatchingListenerHostname, lastTransitionTime: "2026-01-01T00:00:00Z"}
                """, GRPCRoute.class);

        assertThat(RouteStatuses.of(grpc)).singleElement().extracting(s -> s.accepted().reason())
                .isEqualTo("NoMatchingListenerHostname");
        grpc.setStatus(null);
        assertThat(RouteStatuses.of(grpc)).isEmpty();
    }
}
