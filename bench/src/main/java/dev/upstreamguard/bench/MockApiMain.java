package dev.upstreamguard.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

/**
 * A fabric8 CRUD mock API server holding a {@link SyntheticCluster} (full pods, as a real API server sends them), for
 * the startup figure. Usage: {@code MockApiMain <pods> <url-file>}: fills the server, writes its URL to the file
 * once every object is in, then serves until killed.
 */
public final class MockApiMain {
    private static final long T0 = System.nanoTime();
    /** Held: java.util.logging keeps loggers weakly, and a collected one forgets its level. */
    private static final java.util.logging.Logger QUIET = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    public static void main(String[] args) throws Exception {
        int pods = Integer.parseInt(args[0]);
        var urlFile = Path.of(args[1]);
        // the mock logs every request at INFO through java.util.logging: that alone doubles the fill time
        QUIET.setLevel(java.util.logging.Level.WARNING);
        // CRUD mode over HTTPS, as @WithKubernetesTestServer(crud = true) sets it up
        var server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), true);
        server.init();
        var client = server.createClient();
        long t0 = T0;
        var objects = new SyntheticCluster(pods).all(true);
        // cluster-scoped first, then the rest in parallel: the mock's CRUD store takes one create per request
        var done = new AtomicInteger();
        for (var o : objects) {
            if (o instanceof Namespace || o instanceof IngressClass) {
                client.resource(o).create();
                done.incrementAndGet();
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        var futures = new ArrayList<Future<?>>();
        for (var o : objects) {
            if (!(o instanceof Namespace || o instanceof IngressClass)) {
                futures.add(pool.submit(() -> create(client, o, done)));
            }
        }
        for (var f : futures) {
            f.get();
        }
        pool.shutdown();
        System.out.printf("mock API server %s: %,d objects (%,d pods) created in %.1f s%n", client.getMasterUrl(),
                done.get(), pods, (System.nanoTime() - t0) / 1e9);
        Files.writeString(urlFile, client.getMasterUrl().toString());
        // until killed; gone after an hour at most, should whoever started it have died without killing it
        Thread.sleep(3_600_000L);
        System.exit(0);
    }

    private static void create(io.fabric8.kubernetes.client.KubernetesClient client, HasMetadata o, AtomicInteger done) {
        o.getMetadata().setResourceVersion(null);
        client.resource(o).create();
        int n = done.incrementAndGet();
        if (n % 2000 == 0) {
            System.out.printf("  %,d objects in %.1f s%n", n, (System.nanoTime() - T0) / 1e9);
        }
    }
}
