package dev.upstreamguard.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.upstreamguard.policy.Mode;

/**
 * The arguments of {@code upstream-guard check}, parsed by hand: a handful of flags, in kubectl's spelling
 * ({@code -f PATH}, {@code --filename=PATH}, {@code -n NS}, {@code -o json}). A hand parser needs neither reflection
 * (picocli's annotations would need registering for the native image) nor a booted Quarkus (quarkus-picocli runs the
 * command as the application, with the HTTP server and the informers).
 *
 * @param files     {@code -f} arguments in order: files, directories, {@code -} for standard input
 * @param cluster   {@code none}, {@code live} or a snapshot directory
 * @param namespace {@code --namespace}, or null when not given (then {@code default}, or the kubeconfig's for live)
 */
public record CheckOptions(List<String> files, String cluster, ApplyOrder order, Mode mode, String namespace,
                           String output, boolean help) {
    public static final Set<String> OUTPUTS = Set.of("text", "json", "sarif", "github");

    public static final String USAGE = """
            Usage: upstream-guard check -f PATH [-f PATH ...] [--cluster none|live|DIR]
                       [--order helm|argocd|flux|kubectl] [--mode enforce|warn] [--namespace NS]
                       [-o text|json|sarif|github]

            Replays the manifests a sync would apply through the webhook's own decision, in the order the tool
            applies them, and reports which requests it would deny or warn on and which routes are broken once
            everything is applied. Exit 0: nothing denied, nothing broken; 1: something is; 2: bad input or usage.

              -f, --filename PATH   a file, a directory (recursive) or - for standard input; repeatable
              --cluster none|live|DIR
                                    none: the bundle alone (default); live: the cluster of the current kubeconfig
                                    context, read once (get/list only); DIR: a snapshot written by kubectl get -o yaml
              --order helm|argocd|flux|kubectl
                                    the tool whose apply order to replay (default helm)
              --mode enforce|warn   the webhook's mode (default enforce)
              -n, --namespace NS    namespace of objects that name none (default: default, or the context's for live)
              -o, --output text|json|sarif|github
                                    report format (default text)
              -h, --help            this text
            See docs/check.md.""";

    private static final Map<String, String> ALIASES = Map.of("-f", "--filename", "-n", "--namespace", "-o", "--output");
    private static final Set<String> FLAGS = Set.of("--filename", "--cluster", "--order", "--mode", "--namespace",
            "--output");

    public static CheckOptions parse(String... args) {
        var files = new ArrayList<String>();
        String cluster = "none";
        String order = "helm";
        String mode = "enforce";
        String namespace = null;
        String output = "text";
        boolean help = false;
        var flags = new Flags(args, ALIASES, FLAGS, CheckInputException::new);
        while (flags.next()) {
            if (flags.help()) {
                help = true;
                continue;
            }
            if (flags.positional()) {
                throw new CheckInputException("unexpected argument \"" + flags.arg()
                        + "\": manifests are given with -f (see --help)");
            }
            var value = flags.value();
            switch (flags.flag()) {
                case "--filename" -> files.add(value);
                case "--cluster" -> cluster = value;
                case "--order" -> order = value;
                case "--mode" -> mode = value;
                case "--namespace" -> namespace = value;
                default -> output = value;
            }
        }
        if (help) {
            return new CheckOptions(List.copyOf(files), cluster, ApplyOrder.HELM, Mode.ENFORCE, namespace, output, true);
        }
        if (files.isEmpty()) {
            throw new CheckInputException("no manifests: give at least one -f PATH (a file, a directory, or - for stdin)");
        }
        if (cluster.isEmpty()) {
            throw new CheckInputException("--cluster must be none, live or a snapshot directory");
        }
        var parsedOrder = ApplyOrder.parse(order).orElse(null);
        if (parsedOrder == null) {
            throw new CheckInputException("--order must be helm, argocd, flux or kubectl, not \"" + order + "\"");
        }
        var parsedMode = Mode.parse(mode).filter(m -> m != Mode.OFF).orElse(null);
        if (parsedMode == null) {
            throw new CheckInputException("--mode must be enforce or warn, not \"" + mode + "\"");
        }
        if (!OUTPUTS.contains(output)) {
            throw new CheckInputException("-o must be text, json, sarif or github, not \"" + output + "\"");
        }
        if (namespace != null && !namespace.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
            throw new CheckInputException("--namespace \"" + namespace + "\" is not a valid namespace name");
        }
        return new CheckOptions(List.copyOf(files), cluster, parsedOrder, parsedMode, namespace, output, false);
    }
}
