package dev.upstreamguard.explain;

import java.util.List;

import dev.upstreamguard.cluster.ClusterIndex;
import dev.upstreamguard.cluster.ManifestLoader;

/** Small clusters for the explain tests, from YAML read the way the manifest view reads files. */
final class Views {
    private static final ManifestLoader LOADER = new ManifestLoader();

    /** Namespace shop, the default IngressClass nginx (ingress-nginx's), no workload yet. */
    static final String BASE = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: shop}
            ---
            apiVersion: networking.k8s.io/v1
            kind: IngressClass
            metadata:
              name: nginx
              annotations: {ingressclass.kubernetes.io/is-default-class: "true"}
            spec: {controller: k8s.io/ingress-nginx}
            """;

    private Views() {
    }

    static ClusterIndex of(String... yaml) {
        var index = new ClusterIndex();
        for (var y : yaml) {
            LOADER.parse(y, "test").forEach(index::put);
        }
        return index;
    }

    static Explanation url(ClusterIndex view, String url) {
        return new Explainer(view, Judge.defaults(), true).explain(ExplainQuery.url(url, null, List.of()));
    }

    static Explanation url(ClusterIndex view, String url, String method, String... headers) {
        return new Explainer(view, Judge.defaults(), true).explain(ExplainQuery.url(url, method, List.of(headers)));
    }

    static Explanation object(ClusterIndex view, ExplainQuery.Subject subject, String name) {
        return new Explainer(view, Judge.defaults(), true).explain(ExplainQuery.object(subject, name));
    }

    /** An Ingress {@code name} in shop with one rule on {@code host}: {@code paths} as "TYPE PATH SERVICE" triples. */
    static String ingress(String name, String created, String host, String... paths) {
        var s = new StringBuilder("""
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata:
                  name: %s
                  namespace: shop
                """.formatted(name));
        if (created != null) {
            s.append("  creationTimestamp: \"").append(created).append("\"\n");
        }
        s.append("spec:\n  rules:\n    - ").append(host == null ? "" : "host: \"" + host + "\"\n      ")
                .append("http:\n        paths:\n");
        for (var p : paths) {
            var parts = p.split(" ");
            s.append("          - {pathType: ").append(parts[0]).append(", path: ").append(parts[1])
                    .append(", backend: {service: {name: ").append(parts[2]).append(", port: {number: 80}}}}\n");
        }
        return s.toString();
    }

    /** The winner's route and field: {@code Ingress shop/a rules[0].http.paths[0]}. */
    static String winner(Section section) {
        var w = section.resolution().winner();
        return w.route() + " " + w.field();
    }

    static List<String> others(Section section) {
        return section.resolution().others().stream().map(c -> c.route() + " " + c.field()).toList();
    }
}
