package dev.upstreamguard.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The prod TLS setup, end to end: /validate over HTTPS with a certificate made by {@code certs/gen-certs.sh}, trusted
 * through the generated CA alone, and a re-issued certificate served after the reload period without a restart.
 */
@QuarkusTest
@TestProfile(TlsServingTest.Https.class)
class TlsServingTest {
    static final Path CERTS = Path.of("target", "tls-test-certs").toAbsolutePath();
    static final String REVIEW = "examples/reviews/ingress-add-path-fine.json";
    static final String REVIEW_UID = "00000000-0000-4000-8000-000000000001";
    static final List<String> SERVICE_NAMES = List.of("upstream-guard", "upstream-guard.upstream-guard",
            "upstream-guard.upstream-guard.svc", "upstream-guard.upstream-guard.svc.cluster.local");

    /** HTTPS only, the way the prod profile serves, from certificates generated before Quarkus starts. */
    public static class Https implements QuarkusTestProfile {
        static {
            // The profile class may be loaded by more than one class loader: generate a fresh CA once per JVM.
            if (System.getProperty("dev.upstreamguard.test.tls-certs") == null) {
                deleteRecursively(CERTS);
                generateCerts();
                System.setProperty("dev.upstreamguard.test.tls-certs", CERTS.toString());
            }
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.http.tls-configuration-name", "webhook",
                    "quarkus.tls.webhook.key-store.pem.0.cert", CERTS.resolve("tls.crt").toString(),
                    "quarkus.tls.webhook.key-store.pem.0.key", CERTS.resolve("tls.key").toString(),
                    "quarkus.tls.webhook.protocols", "TLSv1.3,TLSv1.2",
                    "quarkus.tls.webhook.reload-period", "2s",
                    "quarkus.http.insecure-requests", "disabled",
                    "quarkus.http.test-ssl-port", "0",
                    "upstream-guard.cluster.manifests", "examples/demo-cluster");
        }
    }

    @TestHTTPResource(value = "/validate", tls = true)
    URI validate;

    @Test
    void answersOverTlsWithACertForTheServiceNames_trustingOnlyTheGeneratedCa() throws Exception {
        var served = post(onlyTheGeneratedCa());

        assertEquals(200, served.status(), served.body());
        assertTrue(served.body().contains("\"uid\":\"" + REVIEW_UID + "\""), served.body());
        assertTrue(served.body().contains("\"allowed\":true"), served.body());
        assertTrue(List.of("TLSv1.3", "TLSv1.2").contains(served.protocol()), served.protocol());
        var names = new ArrayList<String>();
        for (var san : served.cert().getSubjectAlternativeNames()) {
            names.add(String.valueOf(san.get(1)));
        }
        assertTrue(names.containsAll(SERVICE_NAMES), "SANs " + names);
    }

    @Test
    void speaksTls12ToClientsThatOfferNothingNewer() throws Exception {
        var context = onlyTheGeneratedCa();
        var client = HttpClient.newBuilder().sslContext(context)
                .sslParameters(sslParameters(context, "TLSv1.2")).connectTimeout(Duration.ofSeconds(5)).build();
        var served = post(client);
        assertEquals(200, served.status());
        assertEquals("TLSv1.2", served.protocol());
    }

    @Test
    void refusesClientsThatDoNotTrustTheGeneratedCa() {
        var client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(); // the JDK's public CAs
        assertThrows(SSLHandshakeException.class, () -> client.send(request(), HttpResponse.BodyHandlers.ofString()));
    }

    @Test
    void servesAReissuedCertWithoutARestart_afterTheReloadPeriod() throws Exception {
        var before = post(onlyTheGeneratedCa()).cert().getSerialNumber();

        generateCerts(); // same CA (reused by the script), new serving cert with a new serial
        var reissued = serialOf(CERTS.resolve("tls.crt"));
        assertNotEquals(before, reissued);

        var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        BigInteger served = before;
        while (!served.equals(reissued) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            try {
                served = post(onlyTheGeneratedCa()).cert().getSerialNumber();
            } catch (IOException e) {
                // a reload caught between the two file renames of the script; the next one heals it
            }
        }
        assertEquals(reissued, served, "the re-issued certificate was not served within 30 s (reload period 2 s)");
        var after = post(onlyTheGeneratedCa());
        assertEquals(200, after.status(), after.body());
    }

    // --- helpers ----------------------------------------------------------------------------------------------

    record Served(int status, String body, X509Certificate cert, String protocol) {
    }

    /** A fresh client each time: a fresh SSLContext has no session to resume, so every call is a full handshake. */
    private Served post(SSLContext context) throws Exception {
        return post(HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build());
    }

    private Served post(HttpClient client) throws Exception {
        var response = client.send(request(), HttpResponse.BodyHandlers.ofString());
        var session = response.sslSession().orElseThrow(() -> new AssertionError("not TLS"));
        var cert = (X509Certificate) session.getPeerCertificates()[0];
        return new Served(response.statusCode(), response.body(), cert, session.getProtocol());
    }

    private HttpRequest request() throws IOException {
        return HttpRequest.newBuilder(validate).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Files.readAllBytes(Path.of(REVIEW)))).build();
    }

    /** An SSLContext whose only trust anchor is the CA gen-certs.sh made. */
    private static SSLContext onlyTheGeneratedCa() throws Exception {
        var trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(CERTS.resolve("ca.crt"))) {
            var ca = CertificateFactory.getInstance("X.509").generateCertificate(in);
            trust.setCertificateEntry("upstream-guard-ca", ca);
        }
        var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        var context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    private static javax.net.ssl.SSLParameters sslParameters(SSLContext context, String protocol) {
        var params = context.getDefaultSSLParameters();
        params.setProtocols(new String[] {protocol});
        return params;
    }

    private static BigInteger serialOf(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            var cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            return cert.getSerialNumber();
        }
    }

    /** Runs certs/gen-certs.sh into {@link #CERTS}; it keeps an existing valid CA and always re-issues tls.crt. */
    static void generateCerts() {
        try {
            var log = Files.createTempFile("gen-certs", ".log");
            var process = new ProcessBuilder("bash", "certs/gen-certs.sh", "--out", CERTS.toString(), "--days", "2")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("certs/gen-certs.sh failed:\n" + Files.readString(log));
            }
            Files.delete(log);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run certs/gen-certs.sh (bash and openssl needed)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (var p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot clear " + dir, e);
        }
    }
}
