package dev.upstreamguard.explain;

import static dev.upstreamguard.explain.Views.BASE;
import static dev.upstreamguard.explain.Views.url;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.upstreamguard.cluster.ClusterIndex;
import dev.upstreamguard.rules.Evaluator;
import dev.upstreamguard.rules.Finding;

/**
 * The walk from the winning rule to the pods, hop by hop: it stops at the first broken hop with the finding the
 * webhook gives for that link (the very rule), or, for pods that are not Ready, with why (CrashLoopBackOff, OOMKilled,
 * a probe on the wrong port); a healthy route lists its timeouts.
 */
class ExplainWalkTest {
    static final String WEB = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: shop, uid: d-web}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                    - name: web
                      image: example/web:1
                      ports: [{name: http, containerPort: 8080}]
                      readinessProbe: {httpGet: {path: /healthz, port: http}}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: shop}
            spec:
              selector: {app: web}
              ports: [{name: web, port: 80, targetPort: http}]
            """;
    static final String INGRESS = """
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: web, namespace: shop}
            spec:
              rules:
                - host: shop.example.com
                  http:
                    paths:
                      - {pathType: Prefix, path: /, backend: {service: {name: web, port: {name: web}}}}
            """;
    static final String URL = "https://shop.example.com/cart";

    /** A live pod of web: Ready or not, a container state, how it last ended, restarts. */
    static String pod(String name, boolean ready, String waiting, String lastReason, int exitCode, int restarts) {
        var last = lastReason == null ? "" : "\n      lastState: {terminated: {reason: " + lastReason
                + ", exitCode: " + exitCode + "}}";
        var state = waiting == null ? "{running: {startedAt: \"2025-01-01T00:00:00Z\"}}" : "{waiting: {reason: " + waiting + "}}";
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s, namespace: shop, labels: {app: web}}
                spec:
                  containers:
                    - name: web
                      image: example/web:1
                      ports: [{name: http, containerPort: 8080}]
                      readinessProbe: {httpGet: {path: /healthz, port: http}}
                status:
                  phase: Running
                  conditions: [{type: Ready, status: "%s"}]
                  containerStatuses:
                    - name: web
                      image: example/web:1
                      imageID: ""
                      ready: %s
                      restartCount: %d
                      state: %s%s
                """.formatted(name, ready ? "True" : "False", ready, restarts, state, last);
    }

    static WalkedRoute onlyWalk(Explanation e) {
        assertThat(e.sections()).as(ExplainText.render(e)).hasSize(1);
        assertThat(e.sections().get(0).walks()).hasSize(1);
        return e.sections().get(0).walks().get(0);
    }

    static List<String> hopNames(WalkedRoute w) {
        return w.hops().stream().map(Hop::name).toList();
    }

    /** What the webhook and the audit say about the Ingress's routes. */
    static List<Finding> webhookFindings(ClusterIndex view) {
        return new Evaluator().run(view.ingress("shop", "web").orElseThrow(), view, new ArrayList<>());
    }

    @Test
    void aHealthyRouteWalksEveryHop_andListsTheTimeoutsThatCanStillEndIn504() {
        var view = Views.of(BASE, WEB, INGRESS, pod("web-1", true, null, null, 0, 0), pod("web-2", true, null, null, 0, 0));
        var e = url(view, URL);
        var w = onlyWalk(e);
        assertThat(hopNames(w)).containsExactly("class", "service", "port", "pods", "targetPort", "endpoints");
        assertThat(w.hops()).allSatisfy(h -> assertThat(h.state()).isEqualTo(Hop.State.OK));
        assertThat(w.hops().get(5).text()).startsWith("2/2 pods Ready")
                .contains("readinessProbe httpGet port \"http\" path /healthz on container \"web\"");
        assertThat(w.hops().get(4).text()).isEqualTo("\"http\" -> container \"web\" port 8080/\"http\"");
        assertThat(w.timeouts()).extracting(t -> t.name() + " " + t.value() + " " + t.source()).containsExactly(
                "proxy-connect-timeout 5 s default", "proxy-read-timeout 60 s default", "proxy-send-timeout 60 s default");
        assertThat(e.healthy()).isTrue();
        assertThat(e.verdictLine()).isEqualTo("route healthy");
    }

    @Test
    void stopsAtAMissingService_withTheWebhooksMessage() {
        var view = Views.of(BASE, WEB, INGRESS.replace("name: web, port", "name: webb, port"));
        var w = onlyWalk(url(view, URL));
        assertThat(hopNames(w)).containsExactly("class", "service");
        var problem = w.broken().orElseThrow().problem();
        assertThat(problem.rule()).isEqualTo("ingress-service-missing");
        var webhook = webhookFindings(view).stream().filter(f -> f.ruleId().equals("ingress-service-missing")).findFirst()
                .orElseThrow();
        assertThat(problem.message()).isEqualTo(webhook.message()).contains("no such Service in namespace shop (it has: web)");
        assertThat(problem.fix()).isEqualTo(webhook.fix());
        assertThat(w.timeouts()).as("no timeouts on a broken route").isEmpty();
    }

    @Test
    void stopsAtAMissingPort_withTheWebhooksMessage() {
        var view = Views.of(BASE, WEB, INGRESS.replace("port: {name: web}", "port: {name: http}"));
        var w = onlyWalk(url(view, URL));
        assertThat(hopNames(w)).containsExactly("class", "service", "port");
        var problem = w.broken().orElseThrow().problem();
        assertThat(problem.rule()).isEqualTo("ingress-service-port-missing");
        assertThat(problem.message()).isEqualTo(webhookFindings(view).stream()
                .filter(f -> f.ruleId().equals("ingress-service-port-missing")).findFirst().orElseThrow().message());
    }

    @Test
    void stopsWhenTheSelectorMatchesNothing() {
        var view = Views.of(BASE, WEB.replace("selector: {app: web}\n  ports", "selector: {app: webb}\n  ports"), INGRESS);
        var w = onlyWalk(url(view, URL));
        assertThat(hopNames(w)).containsExactly("class", "service", "port", "pods");
        assertThat(w.broken().orElseThrow().problem().rule()).isEqualTo("service-selects-nothing");
        assertThat(w.broken().orElseThrow().problem().message()).contains("spec.selector {app=webb} matches no pod template");
    }

    @Test
    void stopsAtAWorkloadScaledToZero_namingIt() {
        var view = Views.of(BASE, WEB.replace("replicas: 2", "replicas: 0"), INGRESS);
        var w = onlyWalk(url(view, URL));
        var problem = w.broken().orElseThrow().problem();
        assertThat(w.broken().orElseThrow().name()).isEqualTo("pods");
        assertThat(problem.rule()).isEqualTo("workload-scaled-to-zero");
        assertThat(problem.message()).contains("Deployment shop/web spec.replicas: 0");
    }

    @Test
    void stopsAtANamedTargetPortNoContainerDeclares() {
        var view = Views.of(BASE, WEB.replace("targetPort: http", "targetPort: web-http"), INGRESS);
        var w = onlyWalk(url(view, URL));
        assertThat(hopNames(w)).containsExactly("class", "service", "port", "pods", "targetPort");
        assertThat(w.broken().orElseThrow().problem().rule()).isEqualTo("service-target-port-missing");
    }

    @Test
    void noReadyEndpoint_crashLoopBackOff_saysWhyAndWhereToLook() {
        var view = Views.of(BASE, WEB, INGRESS, pod("web-1", false, "CrashLoopBackOff", "Error", 1, 7),
                pod("web-2", false, "CrashLoopBackOff", "Error", 1, 5));
        var e = url(view, URL);
        var hop = onlyWalk(e).broken().orElseThrow();
        assertThat(hop.name()).isEqualTo("endpoints");
        assertThat(hop.problem().rule()).as("no rule judges a crashing process").isNull();
        assertThat(hop.problem().message()).contains("no ready endpoint: 2 pods, none Ready: 2 waiting in CrashLoopBackOff, "
                + "container \"web\" last terminated Error (exit 1) in 2, 12 restarts");
        assertThat(hop.problem().fix()).isEqualTo("see why it exits (last: Error (exit 1)): kubectl -n shop logs web-1 -c "
                + "web --previous.");
        assertThat(e.verdictLine()).startsWith("first broken hop: endpoints: Ingress shop/web");
    }

    @Test
    void noReadyEndpoint_oomKilled_pointsAtTheMemoryLimit() {
        var view = Views.of(BASE, WEB, INGRESS, pod("web-1", false, "CrashLoopBackOff", "OOMKilled", 137, 3));
        var problem = onlyWalk(url(view, URL)).broken().orElseThrow().problem();
        assertThat(problem.message()).contains("container \"web\" last terminated OOMKilled (exit 137)");
        assertThat(problem.fix()).startsWith("raise the memory limit of container \"web\" (it was OOMKilled, exit 137)");
    }

    @Test
    void noReadyEndpoint_probeOnAPortTheContainerDoesNotDeclare_isTheWebhooksFinding() {
        var probeTypo = WEB.replace("port: http}}", "port: health}}");
        var pods = pod("web-1", false, null, null, 0, 0).replace("port: http}}", "port: health}}");
        var live = onlyWalk(url(Views.of(BASE, probeTypo, INGRESS, pods), URL)).broken().orElseThrow();
        assertThat(live.name()).isEqualTo("endpoints");
        assertThat(live.problem().rule()).isEqualTo("readiness-probe-port-missing");
        assertThat(live.problem().severity()).isEqualTo("error");
        assertThat(live.problem().message()).contains("container \"web\"").contains("\"health\"");
        // no live pods (a manifests view): a probe that can never succeed still breaks the hop
        var manifests = onlyWalk(url(Views.of(BASE, probeTypo, INGRESS), URL)).broken().orElseThrow();
        assertThat(manifests.problem().rule()).isEqualTo("readiness-probe-port-missing");
    }

    @Test
    void noReadyEndpoint_runningButNotReady_pointsAtTheReadinessProbe() {
        var view = Views.of(BASE, WEB, INGRESS, pod("web-1", false, null, null, 0, 0));
        var problem = onlyWalk(url(view, URL)).broken().orElseThrow().problem();
        assertThat(problem.message()).contains("1 pod, none Ready; readinessProbe httpGet port \"http\" path /healthz");
        assertThat(problem.fix()).startsWith("the readiness probe fails: make container \"web\" answer httpGet port \"http\" "
                + "path /healthz (kubectl -n shop describe pod web-1");
    }

    @Test
    void someReadyIsHealthy_theOthersAreCountedWithTheirReason() {
        var view = Views.of(BASE, WEB, INGRESS, pod("web-1", true, null, null, 0, 0),
                pod("web-2", false, "CrashLoopBackOff", "OOMKilled", 137, 4));
        var e = url(view, URL);
        var endpoints = onlyWalk(e).hops().get(5);
        assertThat(endpoints.state()).isEqualTo(Hop.State.OK);
        assertThat(endpoints.text()).startsWith("1/2 pods Ready; 1 not Ready: 1 waiting in CrashLoopBackOff, container "
                + "\"web\" last terminated OOMKilled (exit 137), 4 restarts");
        assertThat(e.healthy()).isTrue();
    }

    @Test
    void withoutLivePodsReadinessIsNotJudged() {
        var w = onlyWalk(new Explainer(Views.of(BASE, WEB, INGRESS), Judge.defaults(), false)
                .explain(ExplainQuery.url(URL, null, List.of())));
        assertThat(w.hops().get(5).state()).isEqualTo(Hop.State.NOT_JUDGED);
        assertThat(w.hops().get(5).text()).startsWith("no live pods in this view: readiness not judged");
    }

    @Test
    void timeoutsFromTheAnnotations_andAnAnnotationIngressNginxIgnores() {
        var annotated = INGRESS.replace("metadata: {name: web, namespace: shop}", """
                metadata:
                  name: web
                  namespace: shop
                  annotations:
                    nginx.ingress.kubernetes.io/proxy-read-timeout: "120"
                    nginx.ingress.kubernetes.io/proxy-send-timeout: "120s"
                    nginx.ingress.kubernetes.io/proxy-next-upstream-timeout: "30\"""");
        var w = onlyWalk(url(Views.of(BASE, WEB, annotated), URL));
        assertThat(w.timeouts()).extracting(t -> t.name() + " " + t.value() + " " + t.source()).containsExactly(
                "proxy-connect-timeout 5 s default", "proxy-read-timeout 120 s annotation",
                "proxy-send-timeout 60 s default (annotation \"120s\" ignored)",
                "proxy-next-upstream-timeout 30 s annotation");
        var send = w.timeouts().get(2).problem();
        assertThat(send.rule()).isEqualTo("ingress-nginx-timeout-invalid");
        assertThat(send.fix()).contains("write \"120\"");
    }

    @Test
    void httpRouteTimeoutsComeFromTheRule() {
        var yaml = GatewayMatchingTest.GATEWAY + "---\n" + WEB + "---\n" + """
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: web, namespace: shop}
                spec:
                  parentRefs: [{name: gw}]
                  hostnames: [shop.example.com]
                  rules:
                    - matches: [{path: {value: /}}]
                      timeouts: {request: 10s}
                      backendRefs: [{name: web, port: 80}]
                """;
        var w = onlyWalk(url(Views.of(yaml, pod("web-1", true, null, null, 0, 0)), "http://shop.example.com/"));
        assertThat(hopNames(w)).containsExactly("attached", "service", "port", "pods", "targetPort", "endpoints");
        assertThat(w.timeouts()).extracting(t -> t.name() + " " + t.value() + " " + t.source()).containsExactly(
                "timeouts.request 10s route", "timeouts.backendRequest unset unset");
    }

    @Test
    void gatewayApiLinks_notPermittedMissingServiceAndPortAreTheRouteRules() {
        var base = GatewayMatchingTest.GATEWAY + "---\n" + WEB + "---\n" + """
                apiVersion: v1
                kind: Namespace
                metadata: {name: backend}
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: web, namespace: shop}
                spec:
                  parentRefs: [{name: gw}]
                  hostnames: [shop.example.com]
                  rules:
                    - backendRefs: [{name: web, port: 80}]
                """;
        var cases = List.of(
                List.of("{name: web, port: 80}", "{name: web, namespace: backend, port: 80}", "permitted",
                        "route-backend-not-permitted"),
                List.of("{name: web, port: 80}", "{name: shop-web, port: 80}", "service", "route-backend-missing"),
                List.of("{name: web, port: 80}", "{name: web, port: 8080}", "port", "route-backend-port-missing"));
        for (var c : cases) {
            var view = Views.of(base.replace(c.get(0), c.get(1)));
            var hop = onlyWalk(url(view, "http://shop.example.com/")).broken().orElseThrow();
            assertThat(hop.name()).as(c.get(1)).isEqualTo(c.get(2));
            assertThat(hop.problem().rule()).as(c.get(1)).isEqualTo(c.get(3));
        }
    }

    @Test
    void theTextEndsWithExactlyOneVerdictLine() {
        var broken = Views.of(BASE, WEB, INGRESS.replace("name: web, port", "name: webb, port"));
        var healthy = Views.of(BASE, WEB, INGRESS, pod("web-1", true, null, null, 0, 0));
        for (var e : List.of(url(broken, URL), url(healthy, URL), url(healthy, "https://nowhere.example.org/"))) {
            var lines = ExplainText.render(e).lines().toList();
            assertThat(lines.get(lines.size() - 1)).isEqualTo(e.verdictLine());
            assertThat(lines.stream().filter(l -> l.startsWith("first broken hop:") || l.equals("route healthy")))
                    .hasSize(1);
        }
    }
}
