package dev.upstreamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.upstreamguard.cluster.ManifestLoader;
import dev.upstreamguard.support.CheckRun;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;

/**
 * {@code check --cluster live} against fabric8's mock API server in CRUD mode holding the demo cluster, found through
 * a kubeconfig as kubectl finds it: it judges against what the cluster holds, takes the context's namespace, and
 * sends nothing but GETs — every request the server received is recorded and checked.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class CheckLiveClusterTest {
    static KubernetesMockServer server;
    static KubernetesClient client;

    @TempDir
    static Path dir;
    static Path kubeconfig;

    @BeforeAll
    static void fillTheClusterAndWriteAKubeconfig() throws IOException {
        for (var o : new ManifestLoader().read(Path.of("examples/demo-cluster"))) {
            o.getMetadata().setUid(null);
            client.resource(o).create();
        }
        kubeconfig = kubeconfig("http://" + server.getHostName() + ":" + server.getPort());
    }

    static Path kubeconfig(String url) throws IOException {
        var file = Files.createTempFile(dir, "kubeconfig", ".yaml");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters: [{name: mock, cluster: {server: "%s"}}]
                users: [{name: dev, user: {token: not-a-secret}}]
                contexts: [{name: mock, context: {cluster: mock, user: dev, namespace: shop}}]
                current-context: mock
                """.formatted(url));
        return file;
    }

    /** Every request the server has received since the last call, as "METHOD path". */
    static List<String> requestsSinceLastCall() throws InterruptedException {
        var out = new ArrayList<String>();
        for (var r = server.takeRequest(10, TimeUnit.MILLISECONDS); r != null; r = server.takeRequest(10, TimeUnit.MILLISECONDS)) {
            out.add(r.getMethod() + " " + r.getPath());
        }
        return out;
    }

    static CheckRun.Outcome check(String... args) {
        return CheckRun.process(new byte[0], Map.of("KUBECONFIG", kubeconfig.toString()), args);
    }

    @Test
    void aSelectorTypoWithoutANamespaceIsJudgedInTheContextsNamespaceAgainstTheLiveService() throws Exception {
        var file = dir.resolve("api.yaml");
        Files.writeString(file, """
                # No namespace: it goes to the context's (shop), as with kubectl.
                apiVersion: v1
                kind: Service
                metadata: {name: api}
                spec:
                  selector: {app: apii}
                  ports: [{name: http, port: 80, targetPort: api}]
                """);
        requestsSinceLastCall();
        var run = check("-f", file.toString(), "--cluster", "live");
        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).as(run.toString()).contains("DENIED   " + file + ":2 (document 1)  UPDATE Service shop/api")
                .contains("[service-selects-nothing] ");
        assertOnlyReads(requestsSinceLastCall());
    }

    @Test
    void theDemoClusterReappliedOntoItselfPassesAndWritesNothing() throws Exception {
        requestsSinceLastCall();
        var run = check("-f", "examples/demo-cluster", "--cluster", "live", "--order", "argocd");
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).as(run.toString()).contains("0 denied, 0 warned, 0 invalid, 0 broken at the end: ok");
        var requests = requestsSinceLastCall();
        assertOnlyReads(requests);
        assertThat(requests).as("each kind listed once").hasSize(ClusterSources.liveKinds().size());
        assertThat(client.services().inNamespace("shop").withName("api").get().getSpec().getSelector())
                .containsEntry("app", "api");
    }

    @Test
    void anUnreachableClusterIsBadInputInOneLine() throws Exception {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        var run = CheckRun.process(new byte[0], Map.of("KUBECONFIG", kubeconfig("http://127.0.0.1:" + closedPort).toString()),
                "-f", "examples/demo-cluster", "--cluster", "live");
        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.err().lines()).as(run.toString()).hasSize(1);
        assertThat(run.err()).startsWith("upstream-guard check: --cluster live: cannot list ")
                .contains("127.0.0.1:" + closedPort).doesNotContain("\tat ");
    }

    static void assertOnlyReads(List<String> requests) {
        assertThat(requests).as("check reached the API server").isNotEmpty();
        assertThat(requests).as("no POST, PUT, PATCH or DELETE: check writes nothing")
                .allMatch(r -> r.startsWith("GET "));
        assertThat(requests).as("lists, never a watch").noneMatch(r -> r.contains("watch=true"));
    }
}
