package dev.upstreamguard.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;

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
        var dispatcher = new FillingDispatcher();
        var server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, true);
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
        dispatcher.filled = true;
        System.out.printf("mock API server %s: %,d objects (%,d pods) created in %.1f s%n", client.getMasterUrl(),
                done.get(), pods, (System.nanoTime() - t0) / 1e9);
        Files.writeString(urlFile, client.getMasterUrl().toString());
        // until killed; gone after an hour at most, should whoever started it have died without killing it
        Thread.sleep(3_600_000L);
        System.exit(0);
    }

    /**
     * fabric8's CRUD dispatcher, with two changes. Its check that a created object does not exist yet scans every stored
     * object (a fill of n objects costs n²/2 attribute-set comparisons under its write lock: 24k objects took over 15
     * minutes on two busy cores); every object of the fill is new and has a name of its own, so the check is skipped
     * until the fill is done. And it serves lists in pages when asked ({@code ?limit=}, {@code &continue=}), as an API
     * server does (the mock ignores both and always sends the whole list); a request without a limit gets the whole
     * list, as before.
     */
    static final class FillingDispatcher extends KubernetesCrudDispatcher {
        private static final ObjectMapper JSON = new ObjectMapper();
        volatile boolean filled;
        /** The whole list behind the pages being served, by the list's path without limit and continue. */
        private final Map<String, ObjectNode> lists = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public Map.Entry<AttributeSet, String> findResource(AttributeSet attributes) {
            return filled ? super.findResource(attributes) : null;
        }

        @Override
        public MockResponse handleGet(String path) {
            int q = path.indexOf('?');
            if (q < 0 || !path.contains("limit=")) {
                return super.handleGet(path);
            }
            long limit = 0;
            int from = 0;
            var rest = new java.util.StringJoiner("&");
            for (var param : path.substring(q + 1).split("&")) {
                if (param.startsWith("limit=")) {
                    limit = Long.parseLong(param.substring(6));
                } else if (param.startsWith("continue=")) {
                    from = Integer.parseInt(param.substring(9));
                } else {
                    rest.add(param);
                }
            }
            var base = path.substring(0, q) + (rest.length() == 0 ? "" : "?" + rest);
            if (limit <= 0) {
                return super.handleGet(base);
            }
            try {
                var list = from == 0 ? null : lists.get(base);
                if (list == null) {
                    var whole = super.handleGet(base);
                    if (whole.code() != 200) {
                        return whole;
                    }
                    list = (ObjectNode) JSON.readTree(whole.getBody().getBytes());
                    lists.put(base, list);
                }
                var items = (ArrayNode) list.get("items");
                int to = (int) Math.min(items.size(), from + limit);
                ObjectNode page = list.deepCopy();
                page.remove("items");
                var pageItems = page.putArray("items");
                for (int i = from; i < to; i++) {
                    pageItems.add(items.get(i));
                }
                var meta = page.has("metadata") ? (ObjectNode) page.get("metadata") : page.putObject("metadata");
                if (to < items.size()) {
                    meta.put("continue", Integer.toString(to));
                    meta.put("remainingItemCount", items.size() - to);
                } else {
                    lists.remove(base);
                }
                return new MockResponse().setResponseCode(200).setBody(JSON.writeValueAsBytes(page));
            } catch (java.io.IOException e) {
                return new MockResponse().setResponseCode(500).setBody(e.toString());
            }
        }
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
