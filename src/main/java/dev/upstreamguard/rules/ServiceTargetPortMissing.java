package dev.upstreamguard.rules;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.Collectors;

import dev.upstreamguard.cluster.ClusterView;
import dev.upstreamguard.cluster.ObjectRef;
import dev.upstreamguard.cluster.PodSource;
import dev.upstreamguard.cluster.PortDecl;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;

/**
 * A named targetPort that no selected container declares (protocol included): those pods get no endpoint for that
 * port. A numeric targetPort is never required to be declared (containerPort is informational): at most a warning,
 * when the containers declare other ports but not that one.
 */
public final class ServiceTargetPortMissing extends ServiceRule {
    public static final RuleInfo INFO = new RuleInfo("service-target-port-missing", Severity.ERROR,
            "Service targetPort resolves to no container port",
            "A named targetPort that no selected container declares gives the Service no endpoints for that port: "
                    + "nginx answers 503/502 while every pod is Running and Ready. A numeric targetPort the containers "
                    + "do not declare usually means traffic goes to a port nothing listens on (502).",
            "Name the container port the way the Service's targetPort does, or point targetPort at a declared port.");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public List<Finding> check(Service service, ClusterView view) {
        if (!Services.selectsPods(service) || Services.headless(service)) {
            return List.of(); // headless: the API ignores targetPort
        }
        var sources = view.podSourcesSelectedBy(service.getMetadata().getNamespace(), Services.selector(service));
        if (sources.isEmpty()) {
            return List.of(); // service-selects-nothing says so
        }
        var out = new ArrayList<Finding>();
        for (var port : Services.ports(service)) {
            var name = Services.targetPortName(port);
            if (name != null) {
                if (!Services.resolvesByName(sources, name, Services.protocol(port))) {
                    out.add(named(Routes.leadingTo(view, service, port), service, port, name, sources));
                }
            } else if (declaresOthersButNot(sources, Services.targetPortNumber(port), Services.protocol(port))) {
                out.add(numeric(view, service, port, sources));
            }
        }
        return out;
    }

    @Override
    public RouteWalk.Link link() {
        return RouteWalk.Link.TARGET_PORT;
    }

    /** A route that leads to a port whose named targetPort resolves nowhere: a finding on the route. */
    @Override
    public List<Finding> checkRoute(RouteWalk walk, ClusterView view) {
        var b = walk.backend();
        var port = walk.port();
        var name = Services.targetPortName(port);
        var fix = named("", walk.service(), port, name, walk.sources()).fix();
        var message = walk.chain() + ": targetPort \"" + name + "\" (" + Services.protocol(port)
                + "): no selected container declares it (" + declared(walk.sources()) + ").";
        var summary = walk.briefChain() + " targetPort \"" + name + "\": no selected container declares it";
        return List.of(INFO.finding(b.route(), b.routeKey(), summary, message, fix, List.of(b.route(), b.service()))
                .absent());
    }

    private static boolean declaresOthersButNot(List<PodSource> sources, int number, String protocol) {
        boolean anyDeclared = false;
        for (var s : sources) {
            for (var p : s.ports()) {
                anyDeclared = true;
                if (p.number() == number && protocol.equals(p.protocol())) {
                    return false;
                }
            }
        }
        return anyDeclared;
    }

    private static Finding named(String leading, Service service, ServicePort port, String name,
                                 List<PodSource> sources) {
        var ref = ObjectRef.of(service);
        var message = leading + ref + " " + Services.portField(service, port)
                + " targetPort \"" + name + "\" (" + Services.protocol(port) + "): no selected container declares it ("
                + declared(sources) + ").";
        var sameName = sources.stream().flatMap(s -> s.ports().stream()).filter(p -> name.equals(p.name())).findFirst();
        var fix = sameName.map(p -> "port \"" + name + "\" is declared with protocol " + p.protocol()
                        + "; make the protocols agree.")
                .orElse("name the container port \"" + name + "\" in " + owners(sources)
                        + ", or set targetPort to a declared port" + firstNamed(sources) + ".");
        var summary = ref + " targetPort \"" + name + "\": no selected container declares it";
        return INFO.finding(ref, "targetPort " + name + " " + Services.protocol(port), summary, message, fix,
                List.of(ref)).onPort(Services.portKey(port));
    }

    private static Finding numeric(ClusterView view, Service service, ServicePort port, List<PodSource> sources) {
        var ref = ObjectRef.of(service);
        int number = Services.targetPortNumber(port);
        var message = Routes.leadingTo(view, service, port) + ref + " " + Services.portField(service, port)
                + " targetPort " + number + ": the selected containers declare other ports (" + declared(sources)
                + "), not " + number + ".";
        var fix = "check that the container listens on " + number + "; if so, declare containerPort " + number
                + ", else point targetPort at the port it listens on.";
        var summary = ref + " targetPort " + number + ": not among the declared container ports";
        return INFO.finding(ref, "targetPort " + number + " " + Services.protocol(port), summary, message, fix,
                List.of(ref)).withSeverity(Severity.WARNING).onPort(Services.portKey(port));
    }

    /** {@code Deployment shop/web declares 8080/"web"; Pod shop/x declares none}, at most three sources. */
    private static String declared(List<PodSource> sources) {
        var seen = new LinkedHashSet<String>();
        for (var s : sources) {
            if (s.isLivePod() && sources.stream().anyMatch(o -> !o.isLivePod())) {
                continue; // templates say the same more briefly
            }
            var ports = s.ports().stream().map(PortDecl::describe).distinct().collect(Collectors.joining(", "));
            seen.add(s.ref() + " declares " + (ports.isEmpty() ? "no ports" : ports));
            if (seen.size() == 3) {
                break;
            }
        }
        return String.join("; ", seen);
    }

    private static String owners(List<PodSource> sources) {
        return sources.stream().map(s -> s.ref().toString()).distinct().limit(2).collect(Collectors.joining(" and "));
    }

    private static String firstNamed(List<PodSource> sources) {
        return sources.stream().flatMap(s -> s.ports().stream()).filter(p -> p.name() != null).findFirst()
                .map(p -> " such as \"" + p.name() + "\"").orElse("");
    }
}
