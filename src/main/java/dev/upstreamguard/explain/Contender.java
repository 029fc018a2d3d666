package dev.upstreamguard.explain;

/**
 * A rule that matches the request, with why it wins or loses against the others.
 *
 * @param route   {@code Ingress shop/web}, {@code HTTPRoute shop/catalog}
 * @param field   where the rule sits: {@code rules[0].http.paths[1]}, {@code rules[0].matches[0]}, {@code defaultBackend}
 * @param match   what it matches: {@code shop.example.com Prefix /api}, {@code * Exact /tea}
 * @param verdict why it wins, or why another one wins over it
 */
public record Contender(String route, String field, String match, String verdict) {
}
