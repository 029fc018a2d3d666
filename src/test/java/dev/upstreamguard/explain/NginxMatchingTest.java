package dev.upstreamguard.explain;

import static dev.upstreamguard.explain.Views.BASE;
import static dev.upstreamguard.explain.Views.ingress;
import static dev.upstreamguard.explain.Views.others;
import static dev.upstreamguard.explain.Views.url;
import static dev.upstreamguard.explain.Views.winner;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Which Ingress path ingress-nginx serves a URL from: the server (exact host, then the wildcard one label up, then the
 * catch-all), then the location (exact before prefix, Exact before Prefix, the longest prefix, the oldest Ingress),
 * then the default backend. Each case is built so that the wrong order would pick another path.
 */
class NginxMatchingTest {

    static Section nginx(Explanation e) {
        assertThat(e.sections()).as(ExplainText.render(e)).isNotEmpty();
        var s = e.sections().get(0);
        assertThat(s.dataPlane()).isEqualTo("ingress-nginx");
        return s;
    }

    @Test
    void anExactHostWinsOverAWildcard_evenWhenTheWildcardIngressIsOlderAndListedFirst() {
        var view = Views.of(BASE,
                ingress("a-wild", "2020-01-01T00:00:00Z", "*.example.com", "Prefix / wild"),
                ingress("z-exact", "2024-01-01T00:00:00Z", "shop.example.com", "Prefix / exact"));
        var s = nginx(url(view, "https://shop.example.com/"));
        assertThat(s.resolution().server()).isEqualTo("server shop.example.com");
        assertThat(winner(s)).isEqualTo("Ingress shop/z-exact rules[0].http.paths[0]");
        assertThat(others(s)).as("another server's paths never compete").isEmpty();
    }

    @Test
    void aWildcardCoversOneLabel_andOnlyOne() {
        var view = Views.of(BASE, ingress("wild", null, "*.example.com", "Prefix / wild"));
        assertThat(winner(nginx(url(view, "https://cart.example.com/x")))).isEqualTo("Ingress shop/wild rules[0].http.paths[0]");
        var deeper = url(view, "https://a.cart.example.com/x");
        assertThat(deeper.sections()).as("a.cart.example.com is not under *.example.com in ingress-nginx").isEmpty();
        assertThat(deeper.unresolved().name()).isEqualTo("host");
    }

    @Test
    void rulesWithoutAHostServeUnknownHosts_onTheCatchAllServer() {
        var view = Views.of(BASE, ingress("any", null, null, "Prefix / any"),
                ingress("shop", null, "shop.example.com", "Prefix / shop"));
        var s = nginx(url(view, "https://other.example.org/"));
        assertThat(s.resolution().server()).startsWith("server _");
        assertThat(winner(s)).isEqualTo("Ingress shop/any rules[0].http.paths[0]");
        assertThat(winner(nginx(url(view, "https://shop.example.com/")))).as("a known host never falls to the catch-all")
                .isEqualTo("Ingress shop/shop rules[0].http.paths[0]");
    }

    @Test
    void theLongestPrefixWins_whateverTheOrderOfThePaths() {
        var view = Views.of(BASE, ingress("web", null, "shop.example.com", "Prefix /api/v1 v1", "Prefix / root",
                "Prefix /api api"));
        var s = nginx(url(view, "https://shop.example.com/api/v1/orders"));
        assertThat(winner(s)).isEqualTo("Ingress shop/web rules[0].http.paths[0]");
        assertThat(s.resolution().winner().verdict()).isEqualTo("wins: longest matching prefix");
        assertThat(others(s)).containsExactly("Ingress shop/web rules[0].http.paths[2]",
                "Ingress shop/web rules[0].http.paths[1]");
        assertThat(winner(nginx(url(view, "https://shop.example.com/api/v2")))).isEqualTo(
                "Ingress shop/web rules[0].http.paths[2]");
    }

    @Test
    void exactBeforePrefix_onTheSamePath_evenFromAYoungerIngress() {
        var view = Views.of(BASE, ingress("a-prefix", "2020-01-01T00:00:00Z", "shop.example.com", "Prefix /api p"),
                ingress("b-exact", "2024-01-01T00:00:00Z", "shop.example.com", "Exact /api e"));
        var s = nginx(url(view, "https://shop.example.com/api"));
        assertThat(winner(s)).isEqualTo("Ingress shop/b-exact rules[0].http.paths[0]");
        assertThat(s.resolution().winner().verdict()).isEqualTo("wins: Exact before Prefix on the same path");
        assertThat(winner(nginx(url(view, "https://shop.example.com/api/x")))).as("Exact /api does not match /api/x")
                .isEqualTo("Ingress shop/a-prefix rules[0].http.paths[0]");
    }

    @Test
    void anExactLocationBeatsALongerPrefix() {
        var view = Views.of(BASE, ingress("web", null, "shop.example.com", "ImplementationSpecific /a long",
                "Exact /a exact"));
        // /a: Exact /a is "location = /a"; ImplementationSpecific /a is the prefix /a, the same length
        assertThat(winner(nginx(url(view, "https://shop.example.com/a")))).isEqualTo("Ingress shop/web rules[0].http.paths[1]");
    }

    @Test
    void prefixMatchesWholePathElements_implementationSpecificIsAPlainPrefix() {
        var view = Views.of(BASE, ingress("web", null, "shop.example.com", "Prefix /api api", "Prefix / root"));
        assertThat(winner(nginx(url(view, "https://shop.example.com/apiv2")))).as("Prefix /api does not claim /apiv2")
                .isEqualTo("Ingress shop/web rules[0].http.paths[1]");
        var is = Views.of(BASE, ingress("web", null, "shop.example.com", "ImplementationSpecific /api api",
                "Prefix / root"));
        assertThat(winner(nginx(url(is, "https://shop.example.com/apiv2")))).as("ImplementationSpecific /api does")
                .isEqualTo("Ingress shop/web rules[0].http.paths[0]");
    }

    @Test
    void theOldestIngressWinsASharedLocation_notTheFirstByName() {
        var view = Views.of(BASE, ingress("a-new", "2024-05-01T00:00:00Z", "shop.example.com", "Prefix /api new"),
                ingress("z-old", "2021-05-01T00:00:00Z", "shop.example.com", "Prefix /api old"));
        var s = nginx(url(view, "https://shop.example.com/api/x"));
        assertThat(winner(s)).isEqualTo("Ingress shop/z-old rules[0].http.paths[0]");
        assertThat(s.resolution().others().get(0).verdict()).isEqualTo("loses: the oldest Ingress wins a shared location");
    }

    @Test
    void theDefaultBackendComesLast_andOnlyWhenNoPathMatches() {
        var web = """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: web, namespace: shop}
                spec:
                  defaultBackend: {service: {name: fallback, port: {number: 80}}}
                  rules:
                    - host: shop.example.com
                      http:
                        paths:
                          - {pathType: Prefix, path: /api, backend: {service: {name: api, port: {number: 80}}}}
                """;
        var view = Views.of(BASE, web);
        assertThat(winner(nginx(url(view, "https://shop.example.com/api/x")))).isEqualTo("Ingress shop/web rules[0].http.paths[0]");
        var s = nginx(url(view, "https://shop.example.com/other"));
        assertThat(winner(s)).isEqualTo("Ingress shop/web defaultBackend");
        assertThat(s.walks()).singleElement().satisfies(w -> assertThat(w.target().route().service().name()).isEqualTo("fallback"));
    }

    @Test
    void noPathAndNoDefaultBackendIs404_theFirstBrokenHop() {
        var view = Views.of(BASE, ingress("web", null, "shop.example.com", "Prefix /api api"));
        var e = url(view, "https://shop.example.com/other");
        var s = nginx(e);
        assertThat(s.resolution().winner()).isNull();
        assertThat(e.firstBroken()).hasValueSatisfying(h -> {
            assertThat(h.name()).isEqualTo("match");
            assertThat(h.problem().message()).contains("no path of the Ingresses on ingress-nginx server shop.example.com "
                    + "matches /other").contains("404");
        });
    }

    @Test
    void onlyIngressesOfAClassIngressNginxServesCompete_whenClassesAreKnown() {
        var traefik = """
                apiVersion: networking.k8s.io/v1
                kind: IngressClass
                metadata: {name: traefik}
                spec: {controller: traefik.io/ingress-controller}
                """;
        var other = ingress("a-traefik", "2020-01-01T00:00:00Z", "shop.example.com", "Prefix /api other")
                .replace("spec:\n", "spec:\n  ingressClassName: traefik\n");
        var view = Views.of(BASE, traefik, other, ingress("web", null, "shop.example.com", "Prefix / web"));
        var s = nginx(url(view, "https://shop.example.com/api/x"));
        assertThat(winner(s)).as("the longer /api is traefik's").isEqualTo("Ingress shop/web rules[0].http.paths[0]");
        assertThat(s.notes()).anySatisfy(n -> assertThat(n).contains("Ingress shop/a-traefik").contains("traefik")
                .contains("not served by ingress-nginx"));
        // with no IngressClass in the view, every Ingress competes
        var unknown = Views.of("apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n", other,
                ingress("web", null, "shop.example.com", "Prefix / web"));
        assertThat(winner(nginx(url(unknown, "https://shop.example.com/api/x")))).isEqualTo(
                "Ingress shop/a-traefik rules[0].http.paths[0]");
    }

    @Test
    void aCanaryNeverWinsALocation_itIsNoted() {
        var canary = ingress("a-canary", "2020-01-01T00:00:00Z", "shop.example.com", "Prefix /api canary")
                .replace("namespace: shop\n", "namespace: shop\n  annotations: {nginx.ingress.kubernetes.io/canary: \"true\"}\n");
        var view = Views.of(BASE, canary, ingress("web", "2024-01-01T00:00:00Z", "shop.example.com", "Prefix /api web"));
        var s = nginx(url(view, "https://shop.example.com/api"));
        assertThat(winner(s)).isEqualTo("Ingress shop/web rules[0].http.paths[0]");
        assertThat(s.notes()).anySatisfy(n -> assertThat(n).contains("Ingress shop/a-canary").contains("canary"));
    }

    @Test
    void theLocationsIngressNginxWritesForEachPathType() {
        assertThat(NginxMatcher.match("Prefix", "/api", "/api")).hasValue(new NginxMatcher.Match(true, 4));
        assertThat(NginxMatcher.match("Prefix", "/api", "/api/")).hasValue(new NginxMatcher.Match(false, 5));
        assertThat(NginxMatcher.match("Prefix", "/api", "/apix")).isEmpty();
        assertThat(NginxMatcher.match("Prefix", "/api/", "/api/x")).hasValue(new NginxMatcher.Match(false, 5));
        assertThat(NginxMatcher.match("Prefix", "/", "/anything")).hasValue(new NginxMatcher.Match(false, 1));
        assertThat(NginxMatcher.match("Exact", "/api", "/api/")).isEmpty();
        assertThat(NginxMatcher.match("ImplementationSpecific", "/api", "/apix")).hasValue(new NginxMatcher.Match(false, 4));
    }
}
