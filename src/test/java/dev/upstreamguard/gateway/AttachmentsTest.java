package dev.upstreamguard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.upstreamguard.gateway.Attachment.Reason;
import dev.upstreamguard.gateway.ListenerVerdict.Outcome;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayBuilder;

/**
 * {@code route-not-attached}: parentRef defaults, sectionName and port, allowedRoutes namespaces (Same, All, Selector)
 * and kinds, hostname intersection, mesh parents, and what a Gateway change detaches. Each case after the spec's
 * conformance tests of the same name where there is one.
 */
class AttachmentsTest {
    /** infra/gw: http :80 *.example.com (Same), shared :8080 (All), grpc :9090 GRPCRoute only (All), tls :443. */
    private static final Gateway GW = Yaml.one("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: gw, namespace: infra}
            spec:
              gatewayClassName: nginx
              listeners:
              - name: http
                port: 80
                protocol: HTTP
                hostname: "*.example.com"
              - name: shared
                port: 8080
                protocol: HTTP
                allowedRoutes:
                  namespaces: {from: All}
              - name: grpc
                port: 9090
                protocol: HTTP
                allowedRoutes:
                  namespaces: {from: All}
                  kinds: [{kind: GRPCRoute}]
              - name: tls
                port: 443
                protocol: TLS
                tls: {mode: Passthrough}
                allowedRoutes:
                  namespaces: {from: All}
            """, Gateway.class);

    /** shop/gw: one listener "http" :80 admitting namespaces by selector env=prod. */
    private static final Gateway SELECTOR_GW = Yaml.one("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: gw, namespace: edge}
            spec:
              gatewayClassName: nginx
              listeners:
              - name: http
                port: 80
                protocol: HTTP
                allowedRoutes:
                  namespaces:
                    from: Selector
                    selector:
                      matchLabels: {env: prod}
                      matchExpressions:
                      - {key: team, operator: In, values: [shop, cafe]}
            """, Gateway.class);

    private static GatewayRoute route(String kind, String namespace, String parentRef, String hostnames) {
        return Yaml.route("""
                apiVersion: gateway.networking.k8s.io/v1
                kind: %s
                metadata: {name: web, namespace: %s}
                spec:
                  parentRefs:
                  - %s
                  hostnames: %s
                  rules:
                  - backendRefs: [{name: web, port: 80}]
                """.formatted(kind, namespace, parentRef, hostnames));
    }

    private static Attachment attach(GatewayRoute route, Gateway... gateways) {
        return attach(route, Yaml.labels(), gateways);
    }

    private static Attachment attach(GatewayRoute route, java.util.function.Function<String, Map<String, String>> labels,
                                     Gateway... gateways) {
        return Attachments.check(route, route.parentRefs().get(0), Yaml.gateways(gateways), labels);
    }

    // --- the parent itself

    @Test
    void gatewayThatDoesNotExist_isNotAttached_andAnAbsentReference() {
        var a = attach(route("HTTPRoute", "infra", "{name: gone}", "[]"), GW);

        assertThat(a.reason()).isEqualTo(Reason.GATEWAY_NOT_FOUND);
        assertThat(a.detached()).isTrue();
        assertThat(a.absentReference()).isTrue();
        assertThat(a.explanation()).isEqualTo("no Gateway infra/gone exists");
        assertThat(a.fix()).contains("create Gateway infra/gone");
    }

    @Test
    void parentRefNamespaceDefaultsToTheRoutes_soAGatewayElsewhereIsNotFound() {
        var a = attach(route("HTTPRoute", "shop", "{name: gw}", "[]"), GW);

        assertThat(a.parent().namespace()).isEqualTo("shop");
        assertThat(a.reason()).isEqualTo(Reason.GATEWAY_NOT_FOUND);
    }

    @Test
    void meshParent_aService_isNotJudged_neverNotAttached() {
        var route = route("HTTPRoute", "shop", "{group: \"\", kind: Service, name: reviews, port: 9080}", "[]");
        var a = attach(route, GW);

        assertThat(a.reason()).isEqualTo(Reason.NOT_A_GATEWAY);
        assertThat(a.judged()).isFalse();
        assertThat(a.detached()).isFalse();
        assertThat(a.explanation()).contains("Service shop/reviews", "not judged");
        assertThat(Attachments.unattached(Attachments.all(route, Yaml.gateways(GW), Yaml.labels()))).isFalse();
    }

    @Test
    void gatewayKindInTheCoreGroup_isNotAGatewayApiGateway() {
        var a = attach(route("HTTPRoute", "infra", "{group: \"\", kind: Gateway, name: gw}", "[]"), GW);

        assertThat(a.reason()).isEqualTo(Reason.NOT_A_GATEWAY);
    }

    // --- sectionName and port (conformance: HTTPRouteInvalidParentRefNotMatching*, HTTPRouteListenerPortMatching)

    @Test
    void sectionName_selectsThatListenerOnly() {
        var a = attach(route("HTTPRoute", "shop", "{name: gw, namespace: infra, sectionName: shared}", "[]"), GW);

        assertThat(a.attached()).isTrue();
        assertThat(a.attachedThrough()).containsExactly("shared");
        assertThat(a.listeners()).extracting(ListenerVerdict::listener).containsExactly("shared");
    }

    @Test
    void sectionNameThatNamesNoListener_isNoMatchingParent() {
        var a = attach(route("HTTPRoute", "infra", "{name: gw, sectionName: https}", "[]"), GW);

        assertThat(a.reason()).isEqualTo(Reason.NO_MATCHING_PARENT);
        assertThat(a.explanation()).isEqualTo("Gateway infra/gw has no listener named \"https\" (it has "
                + "http :80 *.example.com, shared :8080, grpc :9090, tls :443)");
        assertThat(a.fix()).isEqualTo("set parentRefs[0].sectionName to one of http, shared, grpc, tls, or add a "
                + "listener \"https\" to Gateway infra/gw.");
    }

    @Test
    void port_selectsEveryListenerOnThatPort() {
        var a = attach(route("HTTPRoute", "shop", "{name: gw, namespace: infra, port: 8080}", "[]"), GW);

        assertThat(a.attached()).isTrue();
        assertThat(a.attachedThrough()).containsExactly("shared");
    }

    @Test
    void portThatNoListenerUses_isNoMatchingParent() {
        var a = attach(route("HTTPRoute", "infra", "{name: gw, port: 81}", "[]"), GW);

        assertThat(a.reason()).isEqualTo(Reason.NO_MATCHING_PARENT);
        assertThat(a.explanation()).startsWith("Gateway infra/gw has no listener on port 81");
        assertThat(a.fix()).contains("80, 8080, 9090, 443");
    }

    @Test
    void sectionNameAndPort_mustBothMatchTheSameListener() {
        var wrongPort = attach(route("HTTPRoute", "infra", "{name: gw, sectionName: http, port: 81}", "[]"), GW);
        var rightPort = attach(route("HTTPRoute", "infra", "{name: gw, sectionName: http, port: 80}", "[]"), GW);

        assertThat(wrongPort.reason()).isEqualTo(Reason.NO_MATCHING_PARENT);
        assertThat(wrongPort.explanation()).contains("listener \"http\" is on port 80, not 81");
        assertThat(rightPort.attached()).isTrue();
    }

    @Test
    void withoutSectionNameOrPort_everyListenerIsACandidate_andOneAdmittingIsEnough() {
        var a = attach(route("HTTPRoute", "shop", "{name: gw, namespace: infra}", "[shop.example.com]"), GW);

        assertThat(a.attached()).isTrue();
        assertThat(a.listeners()).extracting(ListenerVerdict::listener, ListenerVerdict::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("http", Outcome.NAMESPACE_NOT_ALLOWED),
                org.assertj.core.groups.Tuple.tuple("shared", Outcome.ADMITS),
                org.assertj.core.groups.Tuple.tuple("grpc", Outcome.KIND_NOT_ALLOWED),
                org.assertj.core.groups.Tuple.tuple("tls", Outcome.KIND_NOT_ALLOWED));
        assertThat(a.attachedThrough()).containsExactly("shared");
    }

    // --- allowedRoutes.namespaces (conformance: HTTPRouteInvalidCrossNamespaceParentRef)

    @Test
    void fromSameIsTheDefault_andRefusesARouteFromAnotherNamespace() {
        var a = attach(route("HTTPRoute", "shop", "{name: gw, namespace: infra, sectionName: http}",
                "[shop.example.com]"), GW);

        assertThat(a.reason()).isEqualTo(Reason.NOT_ALLOWED_BY_LISTENERS);
        assertThat(a.explanation()).isEqualTo("Gateway infra/gw: listener \"http\" admits routes from namespace "
                + "infra only (allowedRoutes.namespaces.from: Same), not shop");
        assertThat(a.fix()).contains("namespace shop", "from: All", "create the route in namespace infra");
    }

    @Test
    void fromSame_admitsARouteInTheGatewaysNamespace() {
        var a = attach(route("HTTPRoute", "infra", "{name: gw, sectionName: http}", "[shop.example.com]"), GW);

        assertThat(a.attached()).isTrue();
    }

    @Test
    void fromSelector_admitsANamespaceWhoseLabelsMatch() {
        var route = route("HTTPRoute", "shop", "{name: gw, namespace: edge}", "[]");

        var a = attach(route, Yaml.labels("shop", Map.of("env", "prod", "team", "shop")), SELECTOR_GW);

        assertThat(a.attached()).isTrue();
    }

    @Test
    void fromSelector_refusesANamespaceMissingAMatchLabel() {
        var route = route("HTTPRoute", "shop", "{name: gw, namespace: edge}", "[]");

        var a = attach(route, Yaml.labels("shop", Map.of("team", "shop")), SELECTOR_GW);

        assertThat(a.reason()).isEqualTo(Reason.NOT_ALLOWED_BY_LISTENERS);
        assertThat(a.explanation()).isEqualTo("Gateway edge/gw: listener \"http\" admits routes from namespaces "
                + "matching env=prod, team in (shop,cafe) only (from: Selector); namespace shop has no label env, "
                + "team=shop");
    }

    @Test
    void fromSelector_refusesANamespaceFailingAMatchExpression() {
        var route = route("HTTPRoute", "shop", "{name: gw, namespace: edge}", "[]");

        var a = attach(route, Yaml.labels("shop", Map.of("env", "prod", "team", "billing")), SELECTOR_GW);

        assertThat(a.reason()).isEqualTo(Reason.NOT_ALLOWED_BY_LISTENERS);
        assertThat(a.explanation()).endsWith("namespace shop has env=prod, team=billing");
    }

    @Test
    void fromSelector_seesTheNamespaceNameLabelTheApiServerSets() {
        var gw = new GatewayBuilder(SELECTOR_GW).editSpec().editFirstListener().editAllowedRoutes().editNamespaces()
                .withNewSelector().addToMatchLabels("kubernetes.io/metadata.name", "shop").endSelector()
                .endNamespaces().endAllowedRoutes().endListener().endSpec().build();

        var shop = attach(route("HTTPRoute", "shop", "{name: gw, namespace: edge}", "[]"), ns -> null, gw);
        var cafe = attach(route("HTTPRoute", "cafe", "{name: gw, namespace: edge}", "[]"), ns -> null, gw);

        assertThat(shop.attached()).isTrue();
        assertThat(cafe.reason()).isEqualTo(Reason.NOT_ALLOWED_BY_LISTENERS);
    }

    @Test
    void fromSelectorWithoutASelector_admitsNoNamespace() {
        var gw = new GatewayBuilder(SELECTOR_GW).editSpec().editFirstListener().editAllowedRoutes().editNamespaces()
                .withSelector(null).endNamespaces().endAllowedRoutes().endListener().endSpec().build();

        var a = attach(route("HTTPRoute", "edge", "{name: gw}", "[]"), gw);

        assertThat(a.reason()).isEqualTo(Reason.NOT_ALLOWED_BY_LISTENERS);
        assertThat(a.explanation()).contains("without a selector");
    }

    // --- allowedRoutes.kinds (conformance: HTTPRouteDisallowedKind, GRPCRouteListenerHostnameMatching)

    @Test
    void grpcRoute_attachesToAListenerThatAdmitsOnlyGrpcRoutes() {
        var a = attach(route("GRPCRoute", "shop", "{name: gw, namespace: infra, sectionName: grpc}", "[]"), GW);

        assertThat(a.attached()).isTrue();
    }

    @Test
    void httpRoute_doesNotAttachToAListenerThatAdmitsOnlyGrpcRoutes() {
        var a = attach(route("HTTPRoute", "shop", "{name: gw, namespace: infra, sectionName: grpc}", "[]"), GW);

        assertThat(a.reason()).isEqualTo(Reason.NOT_ALLOWED_BY_LISTENERS);
        assertThat(a.explanation()).isEqualTo("Gateway infra/gw: listener \"grpc\" admits GRPCRoute only "
                + "(allowedRoutes.kinds), not HTTPRoute");
        assertThat(a.fix()).startsWith("add kind HTTPRoute to listener \"grpc\" allowedRoutes.kinds");
    }

    @Test
    void kindsUnset_anHttpListenerAdmitsHttpAndGrpcRoutes_aTlsListenerNeither() {
        var http = attach(route("GRPCRoute", "shop", "{name: gw, namespace: infra, sectionName: shared}", "[]"), GW);
        var tls = attach(route("HTTPRoute", "shop", "{name: gw, namespace: infra, sectionName: tls}", "[]"), GW);

        assertThat(http.attached()).isTrue();
        assertThat(tls.reason()).isEqualTo(Reason.NOT_ALLOWED_BY_LISTENERS);
        assertThat(tls.explanation()).contains("(protocol TLS) admits TLSRoute only, not HTTPRoute");
    }

    @Test
    void aKindOfAnotherGroup_doesNotAdmitTheGatewayApiKind() {
        var gw = new GatewayBuilder(GW).editSpec().editMatchingListener(l -> l.getName().equals("grpc"))
                .editAllowedRoutes().withKinds(new io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteGroupKind(
                        "example.com", "GRPCRoute")).endAllowedRoutes().endListener().endSpec().build();

        var a = attach(route("GRPCRoute", "shop", "{name: gw, namespace: infra, sectionName: grpc}", "[]"), gw);

        assertThat(a.reason()).isEqualTo(Reason.NOT_ALLOWED_BY_LISTENERS);
        assertThat(a.explanation()).contains("GRPCRoute.example.com only");
    }

    @Test
    void anImplementationSpecificProtocol_isNotRefusedOnKinds() {
        var gw = new GatewayBuilder(GW).editSpec().editMatchingListener(l -> l.getName().equals("shared"))
                .withProtocol("example.com/PROXY").endListener().endSpec().build();

        var a = attach(route("HTTPRoute", "shop", "{name: gw, namespace: infra, sectionName: shared}", "[]"), gw);

        assertThat(a.attached()).isTrue();
    }

    // --- hostnames (conformance: HTTPRouteHostnameIntersection, HTTPRouteListenerHostnameMatching)

    @Test
    void wildcardListenerHostname_coversTheRouteHostname() {
        var a = attach(route("HTTPRoute", "infra", "{name: gw, sectionName: http}", "[cafe.example.com]"), GW);

        assertThat(a.attached()).isTrue();
    }

    @Test
    void wildcardListenerHostname_doesNotCoverTheBareDomain() {
        var a = attach(route("HTTPRoute", "infra", "{name: gw, sectionName: http}", "[example.com, cafe.example.net]"),
                GW);

        assertThat(a.reason()).isEqualTo(Reason.NO_MATCHING_LISTENER_HOSTNAME);
        assertThat(a.explanation()).isEqualTo("Gateway infra/gw: listener \"http\" hostname *.example.com matches "
                + "none of the route's hostnames (example.com, cafe.example.net)");
        assertThat(a.fix()).contains("spec.hostnames");
    }

    @Test
    void wildcardRouteHostname_intersectsAnExactListenerHostname() {
        var gw = new GatewayBuilder(GW).editSpec().editMatchingListener(l -> l.getName().equals("http"))
                .withHostname("very.specific.com").endListener().endSpec().build();

        var match = attach(route("HTTPRoute", "infra", "{name: gw, sectionName: http}", "[\"*.specific.com\"]"), gw);
        var miss = attach(route("HTTPRoute", "infra", "{name: gw, sectionName: http}", "[\"*.other.com\"]"), gw);

        assertThat(match.attached()).isTrue();
        assertThat(miss.reason()).isEqualTo(Reason.NO_MATCHING_LISTENER_HOSTNAME);
    }

    @Test
    void aRouteWithoutHostnames_attachesToAListenerWithOne() {
        var a = attach(route("HTTPRoute", "infra", "{name: gw, sectionName: http}", "[]"), GW);

        assertThat(a.attached()).isTrue();
    }

    @Test
    void whenAllowedRoutesPassSomewhere_theReasonIsTheHostname() {
        // http admits infra but not the host; shared admits any namespace and host but only via sectionName-less refs
        var gw = new GatewayBuilder(GW).editSpec().editMatchingListener(l -> l.getName().equals("shared"))
                .withHostname("*.example.org").endListener().endSpec().build();

        var a = attach(route("HTTPRoute", "shop", "{name: gw, namespace: infra, port: 8080}", "[shop.example.com]"), gw);
        var b = attach(route("HTTPRoute", "shop", "{name: gw, namespace: infra}", "[shop.example.com]"), gw);

        assertThat(a.reason()).isEqualTo(Reason.NO_MATCHING_LISTENER_HOSTNAME);
        assertThat(b.reason()).isEqualTo(Reason.NO_MATCHING_LISTENER_HOSTNAME);
        assertThat(b.explanation()).contains("listener \"http\" admits routes from namespace infra only",
                "listener \"shared\" hostname *.example.org");
    }

    // --- the route as a whole

    @Test
    void aRouteIsAttached_whenAnyGatewayParentRefAttaches() {
        var route = Yaml.route("""
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: web, namespace: shop}
                spec:
                  parentRefs:
                  - {name: gw, namespace: infra, sectionName: http}
                  - {name: gw, namespace: infra, sectionName: shared}
                  - {name: gone}
                """);

        var all = Attachments.all(route, Yaml.gateways(GW), Yaml.labels());

        assertThat(all).extracting(Attachment::reason).containsExactly(Reason.NOT_ALLOWED_BY_LISTENERS,
                Reason.ACCEPTED, Reason.GATEWAY_NOT_FOUND);
        assertThat(Attachments.unattached(all)).isFalse();
        assertThat(Attachments.unattached(List.of(all.get(0), all.get(2)))).isTrue();
    }

    // --- Gateway UPDATE: attached before, not after

    @Test
    void listenersAttachedThrough_unionOverTheRoutesParentRefsToThatGateway() {
        var route = Yaml.route("""
                apiVersion: gateway.networking.k8s.io/v1
                kind: GRPCRoute
                metadata: {name: web, namespace: shop}
                spec:
                  parentRefs:
                  - {name: gw, namespace: infra, sectionName: grpc}
                  - {name: gw, namespace: infra, sectionName: shared}
                  - {name: other, namespace: infra}
                """);

        assertThat(Attachments.listenersAttachedThrough(route, GW, Yaml.labels())).containsExactly("grpc", "shared");
    }

    @Test
    void removingTheListener_detachesTheRoute() {
        var route = route("HTTPRoute", "shop", "{name: gw, namespace: infra, sectionName: shared}", "[]");
        var after = new GatewayBuilder(GW).editSpec().removeMatchingFromListeners(l -> l.getName().equals("shared"))
                .endSpec().build();

        var lost = Attachments.lostOnGatewayChange(route, GW, after, Yaml.labels());

        assertThat(lost).singleElement().extracting(Attachment::reason).isEqualTo(Reason.NO_MATCHING_PARENT);
    }

    @Test
    void renamingTheListener_detachesTheRoute() {
        var route = route("HTTPRoute", "shop", "{name: gw, namespace: infra, sectionName: shared}", "[]");
        var after = new GatewayBuilder(GW).editSpec().editMatchingListener(l -> l.getName().equals("shared"))
                .withName("public").endListener().endSpec().build();

        assertThat(Attachments.lostOnGatewayChange(route, GW, after, Yaml.labels())).singleElement()
                .satisfies(a -> assertThat(a.explanation()).contains("no listener named \"shared\"", "public :8080"));
    }

    @Test
    void narrowingAllowedRoutes_detachesTheRoute() {
        var route = route("HTTPRoute", "shop", "{name: gw, namespace: infra, sectionName: shared}", "[]");
        var after = new GatewayBuilder(GW).editSpec().editMatchingListener(l -> l.getName().equals("shared"))
                .editAllowedRoutes().editNamespaces().withFrom("Same").endNamespaces().endAllowedRoutes()
                .endListener().endSpec().build();

        assertThat(Attachments.lostOnGatewayChange(route, GW, after, Yaml.labels())).singleElement()
                .extracting(Attachment::reason).isEqualTo(Reason.NOT_ALLOWED_BY_LISTENERS);
    }

    @Test
    void changingTheListenerHostname_detachesTheRoute() {
        var route = route("HTTPRoute", "infra", "{name: gw, sectionName: http}", "[cafe.example.com]");
        var after = new GatewayBuilder(GW).editSpec().editMatchingListener(l -> l.getName().equals("http"))
                .withHostname("*.example.org").endListener().endSpec().build();

        assertThat(Attachments.lostOnGatewayChange(route, GW, after, Yaml.labels())).singleElement()
                .extracting(Attachment::reason).isEqualTo(Reason.NO_MATCHING_LISTENER_HOSTNAME);
    }

    @Test
    void aChangeThatLeavesAnotherListenerAdmitting_detachesNothing() {
        var route = route("HTTPRoute", "infra", "{name: gw}", "[cafe.example.com]");
        var after = new GatewayBuilder(GW).editSpec().removeMatchingFromListeners(l -> l.getName().equals("http"))
                .endSpec().build();

        assertThat(Attachments.listenersAttachedThrough(route, GW, Yaml.labels())).containsExactly("http", "shared");
        assertThat(Attachments.listenersAttachedThrough(route, after, Yaml.labels())).containsExactly("shared");
        assertThat(Attachments.lostOnGatewayChange(route, GW, after, Yaml.labels())).isEmpty();
    }

    @Test
    void aRouteThatWasNotAttachedBefore_isNotLost() {
        var route = route("HTTPRoute", "shop", "{name: gw, namespace: infra, sectionName: http}", "[]");
        var after = new GatewayBuilder(GW).withNewSpec().endSpec().build();

        assertThat(Attachments.lostOnGatewayChange(route, GW, after, Yaml.labels())).isEmpty();
    }

    @Test
    void deletingTheGateway_detachesItsRoutes() {
        var route = route("HTTPRoute", "shop", "{name: gw, namespace: infra, sectionName: shared}", "[]");

        assertThat(Attachments.lostOnGatewayChange(route, GW, null, Yaml.labels())).singleElement()
                .extracting(Attachment::reason).isEqualTo(Reason.GATEWAY_NOT_FOUND);
    }

    @Test
    void creatingAGateway_detachesNothing() {
        var route = route("HTTPRoute", "shop", "{name: gw, namespace: infra, sectionName: shared}", "[]");

        assertThat(Attachments.lostOnGatewayChange(route, null, GW, Yaml.labels())).isEmpty();
    }

    @Test
    void aListenerSetParent_isNotJudged() {
        var a = attach(route("HTTPRoute", "infra", "{kind: ListenerSet, name: team-a}", "[]"), GW);

        assertThat(a.reason()).isEqualTo(Reason.NOT_A_GATEWAY);
        assertThat(a.explanation()).isEqualTo("parentRefs[0] names ListenerSet infra/team-a, not a Gateway: not judged");
    }

    @Test
    void aParentRefWithoutName_isSkipped() {
        var route = Yaml.route("""
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: web, namespace: infra}
                spec:
                  parentRefs: [{sectionName: http}, {name: gw}]
                """);

        assertThat(route.parentRefs()).extracting(ParentRef::field).containsExactly("parentRefs[1]");
    }
}
