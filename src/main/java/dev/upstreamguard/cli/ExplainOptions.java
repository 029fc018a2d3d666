package dev.upstreamguard.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.upstreamguard.explain.ExplainInputException;
import dev.upstreamguard.explain.ExplainQuery;
import dev.upstreamguard.explain.ExplainQuery.Subject;

/**
 * The arguments of {@code upstream-guard explain}, parsed by hand as {@link CheckOptions} are (no reflection, no booted
 * Quarkus): a URL, or {@code --ingress/--route/--service NS/NAME}; {@code --cluster live|DIR}; {@code -o text|json};
 * the request's {@code -X METHOD} and {@code -H "Name: value"} for Gateway API rules that match on them.
 *
 * @param query   what to explain
 * @param cluster {@code live} or a snapshot directory
 * @param output  {@code text} or {@code json}
 */
public record ExplainOptions(ExplainQuery query, String cluster, String output, boolean help) {
    public static final String USAGE = """
            Usage: upstream-guard explain URL [--cluster live|DIR] [-o text|json] [-X METHOD] [-H "Name: value" ...]
                   upstream-guard explain --ingress|--route|--service NAMESPACE/NAME [--cluster live|DIR] [-o text|json]

            Walks the request path the way the gateway does, outside in: which Ingress or HTTPRoute rule serves the
            URL (and which others match), then the Service, its port, the pods it selects, the targetPort, the ready
            endpoints and why there are none, stopping at the first broken hop with the webhook's own message and fix.
            A healthy route lists the timeouts that can still end a request in a 504.
            Exit 0: every route healthy; 1: a hop is broken (or nothing serves the host); 2: bad input or usage.

              URL                   http(s)://host[:port]/path[?query]; https is assumed without a scheme
              --ingress NS/NAME     every path of one Ingress
              --route NS/NAME       every rule of one HTTPRoute or GRPCRoute
              --service NS/NAME     every route to one Service (its ports, when no route names it)
              --cluster live|DIR    live: the cluster of the current kubeconfig context, read once (get/list only;
                                    the default); DIR: a snapshot written by kubectl get -A -o yaml, or manifests
              -X, --method METHOD   the request's method (default GET)
              -H, --header H        a request header "Name: value"; repeatable (content-type: application/grpc
                                    matches the URL against GRPCRoutes)
              -o, --output text|json
                                    report format (default text)
              -h, --help            this text
            See docs/explain.md.""";

    private static final Map<String, String> ALIASES = Map.of("-o", "--output", "-X", "--method", "-H", "--header");
    private static final Set<String> FLAGS = Set.of("--cluster", "--output", "--method", "--header", "--ingress",
            "--route", "--service");

    public static ExplainOptions parse(String... args) {
        var urls = new ArrayList<String>();
        var headers = new ArrayList<String>();
        var objects = new ArrayList<ExplainQuery>();
        String cluster = "live";
        String output = "text";
        String method = null;
        var flags = new Flags(args, ALIASES, FLAGS, ExplainInputException::new);
        while (flags.next()) {
            if (flags.help()) {
                return new ExplainOptions(null, cluster, output, true);
            }
            if (flags.positional()) {
                urls.add(flags.arg());
                continue;
            }
            var value = flags.value();
            switch (flags.flag()) {
                case "--cluster" -> cluster = value;
                case "--output" -> output = value;
                case "--method" -> method = value;
                case "--header" -> headers.add(value);
                case "--ingress" -> objects.add(ExplainQuery.object(Subject.INGRESS, value));
                case "--route" -> objects.add(ExplainQuery.object(Subject.ROUTE, value));
                default -> objects.add(ExplainQuery.object(Subject.SERVICE, value));
            }
        }
        if (urls.size() + objects.size() != 1) {
            throw new ExplainInputException(urls.isEmpty() && objects.isEmpty()
                    ? "nothing to explain: give a URL, or --ingress, --route or --service NAMESPACE/NAME (see --help)"
                    : "explain one thing at a time: a URL, or one of --ingress, --route, --service (see --help)");
        }
        if (!output.equals("text") && !output.equals("json")) {
            throw new ExplainInputException("-o must be text or json, not \"" + output + "\"");
        }
        if (cluster.isEmpty() || cluster.equals("none")) {
            throw new ExplainInputException("--cluster must be live or a snapshot directory: explain needs a cluster");
        }
        if (!objects.isEmpty() && (method != null || !headers.isEmpty())) {
            throw new ExplainInputException("-X and -H describe a request: they go with a URL, not with --"
                    + objects.get(0).subject().parameter());
        }
        var query = objects.isEmpty() ? ExplainQuery.url(urls.get(0), method, List.copyOf(headers)) : objects.get(0);
        return new ExplainOptions(query, cluster, output, false);
    }
}
