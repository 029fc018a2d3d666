package dev.upstreamguard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.upstreamguard.cluster.ObjectRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;

/** The house-style phrases: the route, the field, where it matches, then the next object. */
class GatewayMessagesTest {
    private static final GatewayRoute ROUTE = Yaml.route("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: web, namespace: shop}
            spec:
              parentRefs: [{name: gw, namespace: infra, sectionName: http}]
              hostnames: [shop.example.com]
              rules:
              - matches: [{path: {type: Exact, value: /}}]
                backendRefs: [{name: home, port: 80}]
              - matches: [{path: {type: PathPrefix, value: /catalog}}]
                backendRefs: [{name: catalog, namespace: backend, port: 80}]
            """);

    @Test
    void chainNamesRouteFieldWhereAndServicePort() {
        assertThat(GatewayMessages.chain(ROUTE.backends().get(1)))
                .isEqualTo("HTTPRoute shop/web rules[1].backendRefs[0] (shop.example.com /catalog) -> "
                        + "Service backend/catalog port 80");
        assertThat(GatewayMessages.shortChain(ROUTE.backends().get(0)))
                .isEqualTo("HTTPRoute shop/web (shop.example.com Exact /) -> Service shop/home");
    }

    @Test
    void attachmentMessageNamesTheParentAndWhy() {
        var gw = Yaml.one("""
                apiVersion: gateway.networking.k8s.io/v1
                kind: Gateway
                metadata: {name: gw, namespace: infra}
                spec:
                  gatewayClassName: nginx
                  listeners: [{name: http, port: 80, protocol: HTTP}]
                """, Gateway.class);
        var a = Attachments.check(ROUTE, ROUTE.parentRefs().get(0), Yaml.gateways(gw), Yaml.labels());

        assertThat(GatewayMessages.attachmentMessage(ROUTE.ref(), a)).isEqualTo("HTTPRoute shop/web parentRefs[0] -> "
                + "Gateway infra/gw listener \"http\": Gateway infra/gw: listener \"http\" admits routes from namespace "
                + "infra only (allowedRoutes.namespaces.from: Same), not shop.");
        assertThat(GatewayMessages.attachmentSummary(ROUTE.ref(), a))
                .isEqualTo("HTTPRoute shop/web -> Gateway infra/gw listener \"http\": not attached (NotAllowedByListeners)");
        assertThat(GatewayMessages.detachedByGatewayChange(new ObjectRef("Gateway", "infra", "gw"), ROUTE.ref(), a))
                .startsWith("Gateway infra/gw change detaches HTTPRoute shop/web parentRefs[0]: Gateway infra/gw: ");
    }

    @Test
    void permissionMessageNamesTheBackendAndWhy() {
        var p = ReferenceGrants.permission(ROUTE.backends().get(1), List.of());

        assertThat(GatewayMessages.permissionMessage(p)).isEqualTo("HTTPRoute shop/web rules[1].backendRefs[0] "
                + "(shop.example.com /catalog) -> Service backend/catalog port 80: no ReferenceGrant in namespace "
                + "backend permits it.");
        assertThat(GatewayMessages.permissionSummary(p)).isEqualTo("HTTPRoute shop/web -> Service backend/catalog: "
                + "no ReferenceGrant permits it");
    }

    @Test
    void summariesFitAWarningLine() {
        var p = ReferenceGrants.permission(ROUTE.backends().get(1), List.of());

        // a warning is "[route-backend-not-permitted] " + summary, at most 120 characters
        assertThat(("[route-backend-not-permitted] " + GatewayMessages.permissionSummary(p)).length())
                .isLessThanOrEqualTo(120);
    }
}
