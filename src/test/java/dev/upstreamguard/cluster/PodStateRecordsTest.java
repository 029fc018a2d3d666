package dev.upstreamguard.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * A cached pod keeps what explain says about it: Ready, a waiting reason, restarts, how a container last ended and the
 * readiness probes; the probes of pods parsed apart share their strings, as the informers deliver them.
 */
class PodStateRecordsTest {
    static final String POD = """
            {"apiVersion": "v1", "kind": "Pod",
             "metadata": {"name": "web-%d", "namespace": "shop", "labels": {"app": "web"}},
             "spec": {"containers": [
               {"name": "web", "ports": [{"name": "http", "containerPort": 8080}],
                "readinessProbe": {"httpGet": {"path": "/healthz", "port": "http"}}},
               {"name": "envoy", "readinessProbe": {"tcpSocket": {"port": 15021}}},
               {"name": "worker", "readinessProbe": {"exec": {"command": ["true"]}}}]},
             "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "False"}],
               "containerStatuses": [
                 {"name": "envoy", "restartCount": 1, "ready": true, "image": "e", "imageID": "",
                  "lastState": {"terminated": {"reason": "Error", "exitCode": 1}}},
                 {"name": "web", "restartCount": 12, "ready": false, "image": "w", "imageID": "",
                  "state": {"waiting": {"reason": "CrashLoopBackOff"}},
                  "lastState": {"terminated": {"reason": "OOMKilled", "exitCode": 137}}}]}}
            """;

    static Pod parse(int i) {
        return new KubernetesSerialization().unmarshal(POD.formatted(i), Pod.class);
    }

    @Test
    void aPodRecordKeepsItsStateAndProbes() {
        var source = PodSources.ofPod(parse(1));
        assertThat(source.ready()).isFalse();
        assertThat(source.waiting()).isEqualTo("CrashLoopBackOff");
        assertThat(source.restarts()).isEqualTo(13);
        assertThat(source.lastTermination()).as("the container that restarts most")
                .isEqualTo(new Termination("web", "OOMKilled", 137));
        assertThat(source.lastTermination().describe()).isEqualTo("OOMKilled (exit 137)");
        assertThat(source.readiness()).containsExactly(new ProbeDecl("web", "httpGet", "http", "/healthz"),
                new ProbeDecl("envoy", "tcpSocket", "15021", null), new ProbeDecl("worker", "exec", null, null));
        assertThat(source.readinessOf("web").orElseThrow().describe()).isEqualTo("httpGet port \"http\" path /healthz");
        assertThat(source.readinessOf("envoy").orElseThrow().namedPort()).isFalse();
    }

    @Test
    void podsParsedApartShareTheirProbeStrings() {
        var a = PodSources.ofPod(parse(1)).readiness().get(0);
        var b = PodSources.ofPod(parse(2)).readiness().get(0);
        assertThat(b.path()).isSameAs(a.path());
        assertThat(b.port()).isSameAs(a.port());
        assertThat(b.container()).isSameAs(a.container());
    }

    @Test
    void aTemplateRecordCarriesItsReadinessProbes_andAPodWithoutStatusNone() {
        var deployment = new ManifestLoader().parse("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: shop}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                        - {name: web, readinessProbe: {grpc: {port: 9000}}}
                """, "test").get(0);
        var template = PodSources.ofWorkload(deployment).orElseThrow();
        assertThat(template.readiness()).containsExactly(new ProbeDecl("web", "grpc", "9000", null));
        assertThat(template.lastTermination()).isNull();
        var bare = parse(3);
        bare.setStatus(null);
        assertThat(PodSources.ofPod(bare).lastTermination()).isNull();
        assertThat(PodSources.ofPod(bare).readiness()).hasSize(3);
        assertThat(PodSources.ofPod(bare).restarts()).isZero();
    }
}
