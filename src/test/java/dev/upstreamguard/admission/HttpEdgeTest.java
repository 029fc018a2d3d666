package dev.upstreamguard.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.logging.Level;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.upstreamguard.cluster.ClusterViews;
import dev.upstreamguard.cluster.ManifestLoader;
import dev.upstreamguard.support.Await;
import dev.upstreamguard.support.LogCapture;
import dev.upstreamguard.support.ResponseContract;
import dev.upstreamguard.support.ReviewMutator;
import dev.upstreamguard.support.Reviews;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/**
 * The HTTP edge under hostile input: body size limits (3 MiB + 3 MiB judged; beyond
 * {@code quarkus.http.limits.max-body-size} a 413 before the body is read), the API server's {@code ?timeout=}, and a
 * sample of the fuzzer's bodies over real HTTP: a 400 or a 200 with the uid, never a 5xx, never a hang.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class HttpEdgeTest {
    static final KubernetesSerialization K8S = new KubernetesSerialization();
    static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    ClusterViews views;

    @TestHTTPResource("/validate")
    URI validate;

    @BeforeEach
    void createDemoClusterInTheApiServer() {
        var client = server.getClient();
        if (client.services().inNamespace("shop").withName("api").get() == null) {
            for (var o : new ManifestLoader().read(Path.of("examples/demo-cluster"))) {
                o.getMetadata().setUid(null);
                client.resource(o).create();
            }
        }
        Await.until("the informers see the demo cluster", Duration.ofSeconds(20),
                () -> views.view().synced() && !views.view().backendsNaming("shop", "api").isEmpty()
                        && views.view().service("shop", "api").isPresent());
    }

    HttpResponse<String> post(String query, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(validate + query)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    Reviews typo() {
        Service api = views.view().service("shop", "api").orElseThrow();
        Service typo = K8S.clone(api);
        typo.getSpec().setSelector(Map.of("app", "apii"));
        return Reviews.update(typo, api);
    }

    static AdmissionReview review(HttpResponse<String> response) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Reviews.MAPPER.readValue(response.body(), AdmissionReview.class);
    }

    @Test
    void judgesAThreeMiBObjectWithAThreeMiBOldObject() throws Exception {
        Service api = views.view().service("shop", "api").orElseThrow();
        Service big = K8S.clone(api);
        big.getMetadata().setAnnotations(Map.of("example.com/blob", "x".repeat(3 << 20)));
        Service bigOld = K8S.clone(big);
        big.getSpec().setSelector(Map.of("app", "apii"));
        var body = Reviews.update(big, bigOld).uid("big-1").json();
        assertThat(body.length).isGreaterThan(6 << 20);
        var r = review(post("?timeout=10s", body)).getResponse();
        assertThat(r.getUid()).isEqualTo("big-1");
        assertThat(r.getAllowed()).isFalse();
    }

    @Test
    void answers413BeforeReadingABodyOverTheLimit() throws Exception {
        try (var socket = new Socket(validate.getHost(), validate.getPort())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            // 17 MiB announced, none of it sent: the answer must come without waiting for the body
            out.write(("POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + (17L << 20) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long start = System.nanoTime();
            var status = statusLine(socket.getInputStream());
            assertThat(status).startsWith("HTTP/1.1 413");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void answers413ToAChunkedBodyOnceItPassesTheLimit_withoutTakingItAll() throws Exception {
        try (var socket = new Socket(validate.getHost(), validate.getPort())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            var chunk = new byte[1 << 20];
            java.util.Arrays.fill(chunk, (byte) ' ');
            long sent = 0;
            long start = System.nanoTime();
            try {
                // up to 64 MiB: the server must stop this long before the end
                for (int i = 0; i < 64; i++) {
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    sent += chunk.length;
                }
            } catch (IOException closedByTheServer) {
                // expected: the server answered and closed while we were still sending
            }
            long writing = System.nanoTime() - start;
            var status = statusLine(socket.getInputStream());
            System.out.printf("HttpEdgeTest: chunked body: %d MiB sent in %d ms, then \"%s\" after %d ms%n", sent >> 20,
                    writing / 1_000_000, status, (System.nanoTime() - start) / 1_000_000);
            assertThat(sent).as("bytes sent before the server stopped reading").isLessThan(64L << 20);
            assertThat(status).startsWith("HTTP/1.1 413");
        }
    }

    private static String statusLine(InputStream in) throws IOException {
        var line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            line.append((char) c);
        }
        return line.toString().trim();
    }

    @Test
    void honoursTheApiServersTimeout() throws Exception {
        var denied = review(post("?timeout=10s", typo().uid("t-1").json())).getResponse();
        assertThat(denied.getAllowed()).isFalse();
        var late = review(post("?timeout=100ms", typo().uid("t-2").json())).getResponse();
        assertThat(late.getUid()).isEqualTo("t-2");
        assertThat(late.getAllowed()).isTrue();
        assertThat(late.getWarnings()).singleElement().asString().startsWith("[upstream-guard] no time left to judge it");
    }

    @Test
    void aSampleOfTheFuzzersBodiesOverHttp_get400OrTheirUid_neverA5xx() throws Exception {
        System.out.printf("HttpEdgeTest: fuzz seed=%d (replay with -Dfuzz.seed=%d)%n", SEED, SEED);
        var mutator = new ReviewMutator(SEED);
        int ok = 0;
        int bad = 0;
        try (var logs = LogCapture.of("", Level.INFO)) {
            for (int i = 0; i < Integer.getInteger("fuzz.http.samples", 200); i++) {
                var body = mutator.next();
                var response = post("?timeout=10s", body);
                var context = "fuzz seed " + SEED + " sample " + i;
                assertThat(response.statusCode()).as(context).isIn(200, 400);
                if (response.statusCode() == 400) {
                    bad++;
                    assertThat(Reviews.MAPPER.readTree(response.body()).path("error").asText()).as(context).isNotBlank();
                } else {
                    ok++;
                    ResponseContract.check(review(response).getResponse(), ReviewMutator.uidOf(body), context);
                }
            }
            assertThat(logs.infoAndAbove()).as("log lines at INFO+ carrying a body fragment")
                    .noneMatch(l -> l.message() != null && l.message().contains(ReviewMutator.MARKER));
        }
        System.out.printf("HttpEdgeTest: %d answered, %d rejected%n", ok, bad);
    }
}
