package dev.upstreamguard.explain;

/**
 * A timeout on the route that ends a slow request in a 504, as the data plane will apply it.
 *
 * @param name    {@code proxy-read-timeout}, {@code timeouts.request} ...
 * @param value   {@code 60 s}, {@code 10s}, or {@code unset}
 * @param source  where the value comes from: {@code annotation}, {@code default}, {@code route}, {@code unset}
 * @param note    what it means for a request, one phrase
 * @param problem the rule's finding when the value is not what it seems (an annotation ingress-nginx ignores), else null
 */
public record Timeout(String name, String value, String source, String note, Problem problem) {
}
