package dev.upstreamguard.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;

import org.junit.jupiter.api.Test;

import dev.upstreamguard.cluster.ManifestLoader;
import dev.upstreamguard.rules.Evaluator;

/** The audit lists broken routes of a fixture cluster with the reason read from rules and pods. */
class AuditorTest {
    static final String CLUSTER = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: shop, uid: d-web}
            spec:
              replicas: 3
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                    - name: web
                      image: web
                      ports: [{name: http, containerPort: 8080}]
                      readinessProbe: {httpGet: {path: /ready, port: http}}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: shop}
            spec:
              selector: {app: web}
              ports: [{name: http, port: 80, targetPort: http}]
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: web-1
              namespace: shop
              labels: {app: web}
            spec:
              containers: [{name: web, image: web, ports: [{name: http, containerPort: 8080}]}]
            status:
              phase: Running
              conditions: [{type: Ready, status: "False"}]
              containerStatuses:
                - name: web
                  ready: false
                  restartCount: 7
                  image: web
                  imageID: ""
                  state: {waiting: {reason: CrashLoopBackOff}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: api, namespace: shop, uid: d-api}
            spec:
              replicas: 1
              selector: {matchLabels: {app: api}}
              template:
                metadata: {labels: {app: api}}
                spec:
                  containers:
                    - name: api
                      image: api
                      ports: [{name: http, containerPort: 9090}]
                      readinessProbe: {httpGet: {path: /ready, port: health}}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: api, namespace: shop}
            spec:
              selector: {app: api}
              ports: [{name: http, port: 80, targetPort: http}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: api-1, namespace: shop, labels: {app: api}}
            spec:
              containers: [{name: api, image: api, ports: [{name: http, containerPort: 9090}]}]
            status:
              phase: Running
              conditions: [{type: Ready, status: "False"}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: shop, namespace: shop}
            spec:
              rules:
                - host: shop.example.com
                  http:
                    paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
                      - {path: /api, pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}
                      - {path: /search, pathType: Prefix, backend: {service: {name: search, port: {number: 80}}}}
            """;

    @Test
    void listsBrokenRoutesWithTheirReasons() {
        var index = new dev.upstreamguard.cluster.ClusterIndex();
        new ManifestLoader().parse(CLUSTER, "audit-fixture").forEach(index::put);
        var progress = new ArrayList<String>();
        var report = new Auditor(new Evaluator()).audit(index, true, progress::add);

        assertThat(report.brokenRoutes()).extracting(AuditReport.BrokenRoute::line).containsExactlyInAnyOrder(
                "Ingress shop/shop (shop.example.com/) → Service web → 0/1 ready: 1 not Ready, 1 waiting in CrashLoopBackOff, 7 restarts",
                "Ingress shop/shop (shop.example.com/api) → Service api → 0/1 ready: Deployment shop/api container \"api\" readinessProbe port \"health\": not declared",
                "Ingress shop/shop (shop.example.com/search) → Service search → missing: no Service search in namespace shop");
        assertThat(report.brokenRoutesByType()).containsEntry("no-service", 1).containsEntry("no-endpoint", 2);
        assertThat(report.findings()).extracting(AuditReport.Item::rule)
                .contains("ingress-service-missing", "readiness-probe-port-missing");
        assertThat(report.findingsByRuleAndNamespace()).containsKey(new AuditReport.RuleNamespace("ingress-service-missing", "shop"));
        assertThat(report.objects()).as("1 Ingress, 2 Services, 2 Deployments").isEqualTo(5);
    }

    @Test
    void withoutALiveClusterEndpointsAreNotJudged() {
        var index = new dev.upstreamguard.cluster.ClusterIndex();
        new ManifestLoader().parse(CLUSTER, "audit-fixture").forEach(index::put);
        var report = new Auditor(new Evaluator()).audit(index, false, s -> { });
        assertThat(report.brokenRoutes()).extracting(AuditReport.BrokenRoute::type).containsExactly("no-service");
    }

    @Test
    void readyEndpointsFromEndpointSlicesCount() {
        var index = new dev.upstreamguard.cluster.ClusterIndex();
        new ManifestLoader().parse(CLUSTER + """
                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata: {name: web-abc, namespace: shop, labels: {kubernetes.io/service-name: web}}
                addressType: IPv4
                endpoints:
                  - addresses: [10.0.0.1]
                    conditions: {ready: true}
                """, "audit-fixture").forEach(index::put);
        var report = new Auditor(new Evaluator()).audit(index, true, s -> { });
        assertThat(report.brokenRoutes()).extracting(AuditReport.BrokenRoute::service).doesNotContain("shop/web");
    }

    /** Each finding names its subject as an object reference does: kind, name, apiVersion, and the uid the view has. */
    @Test
    void findingsNameTheirSubjectWithApiVersionAndUid() {
        var index = new dev.upstreamguard.cluster.ClusterIndex();
        new ManifestLoader().parse(CLUSTER, "audit-fixture").forEach(index::put);
        var report = new Auditor(new Evaluator()).audit(index, false, s -> { });

        var onIngress = report.findings().stream().filter(f -> f.rule().equals("ingress-service-missing")).findFirst()
                .orElseThrow();
        assertThat(onIngress).extracting(AuditReport.Item::kind, AuditReport.Item::name, AuditReport.Item::apiVersion,
                AuditReport.Item::namespace).containsExactly("Ingress", "shop", "networking.k8s.io/v1", "shop");
        assertThat(onIngress.uid()).as("the uid the view holds (the loader gives manifests one)")
                .isEqualTo(index.ingress("shop", "shop").orElseThrow().getMetadata().getUid()).isNotBlank();
        var onDeployment = report.findings().stream().filter(f -> f.rule().equals("readiness-probe-port-missing"))
                .findFirst().orElseThrow();
        assertThat(onDeployment).extracting(AuditReport.Item::kind, AuditReport.Item::name,
                AuditReport.Item::apiVersion, AuditReport.Item::uid)
                .containsExactly("Deployment", "api", "apps/v1", "d-api");
    }
}
