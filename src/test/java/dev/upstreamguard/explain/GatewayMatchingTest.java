package dev.upstreamguard.explain;

import static dev.upstreamguard.explain.Views.others;
import static dev.upstreamguard.explain.Views.url;
import static dev.upstreamguard.explain.Views.winner;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Which HTTPRoute rule a Gateway serves a URL from, by the Gateway API's precedence: hostname (exact over wildcard),
 * path match type (Exact, PathPrefix by length, RegularExpression), method, header and query matches, then the oldest
 * route and namespace/name; only routes attached to a listener take part. Each case is built so that the next
 * criterion, or list order, would pick the other rule.
 */
class GatewayMatchingTest {
    static final String GATEWAY = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: shop}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: gw, namespace: shop}
            spec:
              gatewayClassName: example
              listeners:
                - {name: http, port: 80, protocol: HTTP, hostname: "*.example.com"}
            """;

    /** An HTTPRoute attached to gw; {@code rules} is the YAML of its rules list, indented four spaces. */
    static String route(String name, String created, String hostnames, String rules) {
        return """
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata:
                  name: %s
                  namespace: shop
                  creationTimestamp: "%s"
                spec:
                  parentRefs: [{name: gw}]
                  hostnames: %s
                  rules:
                %s""".formatted(name, created, hostnames, rules);
    }

    static String rule(String match, String service) {
        return "    - matches: [" + match + "]\n      backendRefs: [{name: " + service + ", port: 80}]\n";
    }

    static Section gateway(Explanation e) {
        var s = e.sections().stream().filter(x -> x.dataPlane().equals("Gateway shop/gw")).findFirst();
        assertThat(s).as(ExplainText.render(e)).isPresent();
        return s.get();
    }

    static final String OLD = "2020-01-01T00:00:00Z";
    static final String NEW = "2024-01-01T00:00:00Z";

    @Test
    void anExactHostnameWinsOverAWildcard_overAnOlderRouteWithALongerPath() {
        var view = Views.of(GATEWAY,
                route("a-wild", OLD, "[\"*.example.com\"]", rule("{path: {type: PathPrefix, value: /api}}", "wild")),
                route("z-exact", NEW, "[shop.example.com]", rule("{path: {type: PathPrefix, value: /}}", "exact")));
        var s = gateway(url(view, "http://shop.example.com/api/x"));
        assertThat(winner(s)).isEqualTo("HTTPRoute shop/z-exact rules[0].matches[0]");
        assertThat(s.resolution().winner().verdict()).isEqualTo("wins: an exact hostname over a wildcard");
        assertThat(winner(gateway(url(view, "http://cart.example.com/api/x")))).isEqualTo(
                "HTTPRoute shop/a-wild rules[0].matches[0]");
    }

    @Test
    void exactPathBeatsPathPrefix_whichBeatsRegularExpression() {
        var rules = rule("{path: {type: RegularExpression, value: \"/tea.*\"}}", "regex")
                + rule("{path: {type: PathPrefix, value: /tea}}", "prefix")
                + rule("{path: {type: Exact, value: /tea}}", "exact");
        var view = Views.of(GATEWAY, route("tea", OLD, "[shop.example.com]", rules));
        var exact = gateway(url(view, "http://shop.example.com/tea"));
        assertThat(winner(exact)).isEqualTo("HTTPRoute shop/tea rules[2].matches[0]");
        assertThat(others(exact)).containsExactly("HTTPRoute shop/tea rules[1].matches[0]",
                "HTTPRoute shop/tea rules[0].matches[0]");
        assertThat(winner(gateway(url(view, "http://shop.example.com/tea/green")))).isEqualTo(
                "HTTPRoute shop/tea rules[1].matches[0]");
        assertThat(winner(gateway(url(view, "http://shop.example.com/teapot")))).as("PathPrefix /tea is element-wise")
                .isEqualTo("HTTPRoute shop/tea rules[0].matches[0]");
    }

    @Test
    void theLongestPathPrefixWins_whateverTheRuleOrder() {
        var rules = rule("{path: {type: PathPrefix, value: /}}", "root")
                + rule("{path: {type: PathPrefix, value: /api/v1}}", "v1")
                + rule("{path: {type: PathPrefix, value: /api}}", "api");
        var view = Views.of(GATEWAY, route("web", OLD, "[shop.example.com]", rules));
        var s = gateway(url(view, "http://shop.example.com/api/v1/orders"));
        assertThat(winner(s)).isEqualTo("HTTPRoute shop/web rules[1].matches[0]");
        assertThat(s.resolution().winner().verdict()).isEqualTo("wins: longest matching path");
    }

    @Test
    void aMethodMatchWins_andAMethodItDoesNotNameFallsToTheOtherRule() {
        var rules = rule("{path: {type: PathPrefix, value: /api}}", "any")
                + rule("{path: {type: PathPrefix, value: /api}, method: POST}", "writes");
        var view = Views.of(GATEWAY, route("web", OLD, "[shop.example.com]", rules));
        assertThat(winner(gateway(url(view, "http://shop.example.com/api", "POST")))).isEqualTo(
                "HTTPRoute shop/web rules[1].matches[0]");
        assertThat(winner(gateway(url(view, "http://shop.example.com/api", "GET")))).isEqualTo(
                "HTTPRoute shop/web rules[0].matches[0]");
    }

    @Test
    void moreHeaderMatchesWin_thenMoreQueryParameterMatches() {
        var rules = rule("{path: {value: /api}, queryParams: [{name: v, value: \"2\"}]}", "query")
                + rule("{path: {value: /api}, headers: [{name: X-Canary, value: \"yes\"}]}", "header")
                + rule("{path: {value: /api}}", "plain");
        var view = Views.of(GATEWAY, route("web", OLD, "[shop.example.com]", rules));
        var both = gateway(url(view, "http://shop.example.com/api?v=2", "GET", "x-canary: yes"));
        assertThat(winner(both)).isEqualTo("HTTPRoute shop/web rules[1].matches[0]");
        assertThat(both.resolution().winner().verdict()).isEqualTo("wins: more header matches");
        assertThat(winner(gateway(url(view, "http://shop.example.com/api?v=2")))).isEqualTo(
                "HTTPRoute shop/web rules[0].matches[0]");
        assertThat(winner(gateway(url(view, "http://shop.example.com/api?v=3")))).as("v=3 matches no query rule")
                .isEqualTo("HTTPRoute shop/web rules[2].matches[0]");
    }

    @Test
    void theOldestRouteWinsATie_notTheFirstByName() {
        var view = Views.of(GATEWAY,
                route("a-new", NEW, "[shop.example.com]", rule("{path: {value: /api}}", "new")),
                route("z-old", OLD, "[shop.example.com]", rule("{path: {value: /api}}", "old")));
        var s = gateway(url(view, "http://shop.example.com/api"));
        assertThat(winner(s)).isEqualTo("HTTPRoute shop/z-old rules[0].matches[0]");
        assertThat(s.resolution().others().get(0).verdict()).isEqualTo("loses: the oldest route (creationTimestamp)");
    }

    @Test
    void namespaceAndNameDecideBetweenRoutesOfTheSameAge_beforeRuleOrder() {
        var view = Views.of(GATEWAY,
                route("b", OLD, "[shop.example.com]", rule("{path: {value: /}}", "first-rule-of-b")),
                route("a", OLD, "[shop.example.com]", rule("{path: {value: /x}}", "other") + rule("{path: {value: /}}", "a")));
        var s = gateway(url(view, "http://shop.example.com/y"));
        assertThat(winner(s)).isEqualTo("HTTPRoute shop/a rules[1].matches[0]");
        assertThat(s.resolution().winner().verdict()).isEqualTo("wins: namespace/name first alphabetically");
    }

    @Test
    void onlyAttachedRoutesCompete_aBetterRouteThatAttachesNowhereIsIgnored() {
        var detached = route("a-detached", OLD, "[shop.example.com]", rule("{path: {type: Exact, value: /api}}", "d"))
                .replace("parentRefs: [{name: gw}]", "parentRefs: [{name: gw, sectionName: https}]");
        var view = Views.of(GATEWAY, detached, route("web", NEW, "[shop.example.com]", rule("{path: {value: /}}", "web")));
        var s = gateway(url(view, "http://shop.example.com/api"));
        assertThat(winner(s)).isEqualTo("HTTPRoute shop/web rules[0].matches[0]");
        assertThat(others(s)).isEmpty();
    }

    @Test
    void aRouteThatMatchesButAttachesNowhereIs404_withTheWebhooksFinding() {
        var detached = route("web", OLD, "[shop.example.com]", rule("{path: {value: /}}", "web"))
                .replace("parentRefs: [{name: gw}]", "parentRefs: [{name: gw, sectionName: https}]");
        var e = url(Views.of(GATEWAY, detached), "http://shop.example.com/");
        assertThat(e.firstBroken()).hasValueSatisfying(h -> {
            assertThat(h.name()).isEqualTo("attached");
            assertThat(h.problem().rule()).isEqualTo("route-not-attached");
            assertThat(h.problem().message()).contains("no listener named \"https\"");
        });
    }

    @Test
    void theMostSpecificListenerTakesTheHost_evenWithoutRoutes() {
        var gateway = GATEWAY.replace("""
                    - {name: http, port: 80, protocol: HTTP, hostname: "*.example.com"}
                """, """
                    - {name: http, port: 80, protocol: HTTP, hostname: "*.example.com"}
                    - {name: shop, port: 80, protocol: HTTP, hostname: shop.example.com}
                """);
        var route = route("wild", OLD, "[\"*.example.com\"]", rule("{path: {value: /}}", "web"))
                .replace("parentRefs: [{name: gw}]", "parentRefs: [{name: gw, sectionName: http}]");
        var e = url(Views.of(gateway, route), "http://shop.example.com/");
        var s = gateway(e);
        assertThat(s.resolution().server()).startsWith("listener \"shop\"");
        assertThat(e.firstBroken()).hasValueSatisfying(h -> assertThat(h.problem().fix())
                .contains("listener \"shop\": it is the most specific listener"));
        assertThat(winner(gateway(url(Views.of(gateway, route), "http://cart.example.com/")))).isEqualTo(
                "HTTPRoute shop/wild rules[0].matches[0]");
    }

    @Test
    void aGrpcCallIsMatchedAgainstGrpcRoutes_byServiceThenMethod() {
        var grpc = """
                apiVersion: gateway.networking.k8s.io/v1
                kind: GRPCRoute
                metadata: {name: cart, namespace: shop}
                spec:
                  parentRefs: [{name: gw}]
                  hostnames: [grpc.example.com]
                  rules:
                    - matches: [{method: {service: shop.Cart}}]
                      backendRefs: [{name: cart, port: 7070}]
                    - matches: [{method: {service: shop.Cart, method: Checkout}}]
                      backendRefs: [{name: checkout, port: 7070}]
                """;
        var http = route("web", OLD, "[grpc.example.com]", rule("{path: {value: /}}", "web"));
        var view = Views.of(GATEWAY, grpc, http);
        var call = gateway(url(view, "http://grpc.example.com/shop.Cart/Checkout", "POST",
                "content-type: application/grpc"));
        assertThat(winner(call)).isEqualTo("GRPCRoute shop/cart rules[1].matches[0]");
        assertThat(call.resolution().winner().verdict()).isEqualTo("wins: the longer matching method");
        assertThat(winner(gateway(url(view, "http://grpc.example.com/shop.Cart/Checkout")))).as("not a gRPC call")
                .isEqualTo("HTTPRoute shop/web rules[0].matches[0]");
    }

    @Test
    void weightsShareTheRule_andWeightZeroIsNotWalked() {
        var rules = """
                    - matches: [{path: {value: /}}]
                      backendRefs: [{name: stable, port: 80, weight: 90}, {name: canary, port: 80, weight: 10}, {name: off, port: 80, weight: 0}]
                """;
        var s = gateway(url(Views.of(GATEWAY, route("web", OLD, "[shop.example.com]", rules)), "http://shop.example.com/"));
        assertThat(s.walks()).extracting(w -> w.target().route().service().name() + " " + w.target().share())
                .containsExactly("stable 90%", "canary 10%");
        assertThat(s.notes()).anySatisfy(n -> assertThat(n).contains("Service shop/off has weight 0"));
    }

    @Test
    void aRuleWithoutBackendsAnswers500_unlessItRedirects() {
        var rules = """
                    - matches: [{path: {value: /old}}]
                      filters: [{type: RequestRedirect, requestRedirect: {path: {type: ReplaceFullPath, replaceFullPath: /new}}}]
                    - matches: [{path: {value: /empty}}]
                """;
        var view = Views.of(GATEWAY, route("web", OLD, "[shop.example.com]", rules));
        var redirect = url(view, "http://shop.example.com/old");
        assertThat(redirect.healthy()).isTrue();
        assertThat(gateway(redirect).notes()).anySatisfy(n -> assertThat(n).contains("redirects"));
        assertThat(url(view, "http://shop.example.com/empty").firstBroken()).hasValueSatisfying(h -> assertThat(
                h.problem().message()).contains("has no backendRefs: the gateway answers 500"));
    }
}
