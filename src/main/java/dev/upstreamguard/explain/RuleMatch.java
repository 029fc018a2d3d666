package dev.upstreamguard.explain;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import dev.upstreamguard.cluster.ObjectRef;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCHeaderMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeaderMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPQueryParamMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;

/**
 * One {@code matches[]} entry of an HTTPRoute or GRPCRoute rule that matches the request, with what Gateway API
 * precedence reads of it. A rule without matches matches every request (HTTPRoute: as {@code PathPrefix /}).
 *
 * @param route       the route object
 * @param ref         the route
 * @param rule        the rule's index
 * @param match       the match's index, or -1 for a rule without matches
 * @param hostname    the route hostname that matched the request host ({@code ""}: the route names none)
 * @param pathRank    HTTPRoute: 0 Exact, 1 PathPrefix, 2 RegularExpression; GRPCRoute: 0
 * @param length      HTTPRoute: the path's length; GRPCRoute: the service's
 * @param methodChars HTTPRoute: 1 when it matches on the method, else 0; GRPCRoute: the method name's length
 * @param headers     the number of header matches
 * @param queryParams the number of query parameter matches
 * @param text        the match for people: {@code PathPrefix /catalog}, {@code Exact /tea GET}
 */
record RuleMatch(HasMetadata route, ObjectRef ref, int rule, int match, String hostname, int pathRank, int length,
                 int methodChars, int headers, int queryParams, String text) {

    /** {@code rules[0].matches[1]}, or {@code rules[0]} for a rule without matches. */
    String field() {
        return "rules[" + rule + "]" + (match < 0 ? "" : ".matches[" + match + "]");
    }

    boolean exactHostname() {
        return !hostname.isEmpty() && !hostname.startsWith("*");
    }

    String created() {
        var c = route.getMetadata().getCreationTimestamp();
        return c == null ? "" : c;
    }

    /** The matches of every rule of an HTTPRoute that the request satisfies. */
    static List<RuleMatch> of(HTTPRoute route, String hostname, ExplainQuery q) {
        var out = new ArrayList<RuleMatch>();
        var rules = route.getSpec() == null || route.getSpec().getRules() == null ? List.<io.fabric8.kubernetes.api
                .model.gatewayapi.v1.HTTPRouteRule>of() : route.getSpec().getRules();
        var ref = ObjectRef.of(route);
        for (int r = 0; r < rules.size(); r++) {
            var rule = rules.get(r);
            if (rule == null) {
                continue;
            }
            var matches = rule.getMatches();
            if (matches == null || matches.isEmpty()) {
                out.add(new RuleMatch(route, ref, r, -1, hostname, 1, 1, 0, 0, 0, "PathPrefix / (no matches)"));
                continue;
            }
            for (int m = 0; m < matches.size(); m++) {
                var match = matches.get(m);
                if (match != null) {
                    http(route, ref, r, m, hostname, match, q).ifPresent(out::add);
                }
            }
        }
        return out;
    }

    private static Optional<RuleMatch> http(HTTPRoute route, ObjectRef ref, int r, int m, String hostname,
                                            HTTPRouteMatch match, ExplainQuery q) {
        var path = match.getPath();
        var type = path == null || path.getType() == null ? "PathPrefix" : path.getType();
        var value = path == null || path.getValue() == null ? "/" : path.getValue();
        var requestPath = q.url().path();
        boolean pathMatches = switch (type) {
            case "Exact" -> value.equals(requestPath);
            case "RegularExpression" -> regex(value, requestPath);
            default -> prefix(value, requestPath);
        };
        if (!pathMatches) {
            return Optional.empty();
        }
        if (match.getMethod() != null && !match.getMethod().equals(q.method())) {
            return Optional.empty();
        }
        var headers = match.getHeaders() == null ? List.<HTTPHeaderMatch>of() : match.getHeaders();
        for (var h : headers) {
            if (h != null && !value(h.getType(), h.getValue(), q.headers().get(lower(h.getName())))) {
                return Optional.empty();
            }
        }
        var params = match.getQueryParams() == null ? List.<HTTPQueryParamMatch>of() : match.getQueryParams();
        for (var p : params) {
            if (p != null && !value(p.getType(), p.getValue(), q.url().query().get(p.getName()))) {
                return Optional.empty();
            }
        }
        int rank = switch (type) {
            case "Exact" -> 0;
            case "RegularExpression" -> 2;
            default -> 1;
        };
        var text = new StringBuilder(type).append(' ').append(value);
        if (match.getMethod() != null) {
            text.append(' ').append(match.getMethod());
        }
        headers.forEach(h -> text.append(" header ").append(h.getName()).append('=').append(h.getValue()));
        params.forEach(p -> text.append(" query ").append(p.getName()).append('=').append(p.getValue()));
        return Optional.of(new RuleMatch(route, ref, r, m, hostname, rank, rank == 2 ? 0 : value.length(),
                match.getMethod() == null ? 0 : 1, headers.size(), params.size(), text.toString()));
    }

    /** The matches of every rule of a GRPCRoute that a gRPC call to {@code /service/method} satisfies. */
    static List<RuleMatch> of(GRPCRoute route, String hostname, ExplainQuery q) {
        var out = new ArrayList<RuleMatch>();
        var rules = route.getSpec() == null || route.getSpec().getRules() == null ? List.<io.fabric8.kubernetes.api
                .model.gatewayapi.v1.GRPCRouteRule>of() : route.getSpec().getRules();
        var ref = ObjectRef.of(route);
        var call = q.url().path().substring(1);
        int slash = call.indexOf('/');
        var service = slash < 0 ? call : call.substring(0, slash);
        var method = slash < 0 ? "" : call.substring(slash + 1);
        for (int r = 0; r < rules.size(); r++) {
            var rule = rules.get(r);
            if (rule == null) {
                continue;
            }
            var matches = rule.getMatches();
            if (matches == null || matches.isEmpty()) {
                out.add(new RuleMatch(route, ref, r, -1, hostname, 0, 0, 0, 0, 0, "every call (no matches)"));
                continue;
            }
            for (int m = 0; m < matches.size(); m++) {
                var match = matches.get(m);
                if (match != null) {
                    grpc(route, ref, r, m, hostname, match, service, method, q).ifPresent(out::add);
                }
            }
        }
        return out;
    }

    private static Optional<RuleMatch> grpc(GRPCRoute route, ObjectRef ref, int r, int m, String hostname,
                                            GRPCRouteMatch match, String service, String method, ExplainQuery q) {
        var mm = match.getMethod();
        var wantService = mm == null ? null : mm.getService();
        var wantMethod = mm == null ? null : mm.getMethod();
        var type = mm == null ? null : mm.getType();
        if (wantService != null && !wantService.isEmpty() && !value(type, wantService, service)) {
            return Optional.empty();
        }
        if (wantMethod != null && !wantMethod.isEmpty() && !value(type, wantMethod, method)) {
            return Optional.empty();
        }
        var headers = match.getHeaders() == null ? List.<GRPCHeaderMatch>of() : match.getHeaders();
        for (var h : headers) {
            if (h != null && !value(h.getType(), h.getValue(), q.headers().get(lower(h.getName())))) {
                return Optional.empty();
            }
        }
        var text = (wantService == null || wantService.isEmpty() ? "*" : wantService) + "/"
                + (wantMethod == null || wantMethod.isEmpty() ? "*" : wantMethod);
        return Optional.of(new RuleMatch(route, ref, r, m, hostname, 0, wantService == null ? 0 : wantService.length(),
                wantMethod == null ? 0 : wantMethod.length(), headers.size(), 0, text));
    }

    /** Gateway API's PathPrefix: whole path elements; a trailing slash in the prefix is ignored. */
    static boolean prefix(String value, String path) {
        var v = value;
        while (v.length() > 1 && v.endsWith("/")) {
            v = v.substring(0, v.length() - 1);
        }
        return v.equals("/") || path.equals(v) || path.startsWith(v + "/");
    }

    /** Exact (the default) or RegularExpression against the request's value; an absent value matches nothing. */
    private static boolean value(String type, String want, String actual) {
        if (actual == null || want == null) {
            return false;
        }
        return "RegularExpression".equals(type) ? regex(want, actual) : want.equals(actual);
    }

    private static boolean regex(String pattern, String value) {
        try {
            return Pattern.compile(pattern).matcher(value).matches();
        } catch (PatternSyntaxException e) {
            return false; // the API server validates these loosely; a broken one matches nothing here
        }
    }

    private static String lower(String name) {
        return name == null ? "" : name.toLowerCase(java.util.Locale.ROOT);
    }
}
