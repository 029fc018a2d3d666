package dev.upstreamguard.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A fabric8 CRUD mock API server that can be stopped and started again on the same port with the same objects: an API
 * server outage, as the informers see it. ({@code @WithKubernetesTestServer}'s server cannot: stopping it closes its
 * Vert.x instance, and a new one gets a new port and an empty store.) The state lives in one dispatcher; each start
 * puts a new HTTP server in front of it. While it is down, {@link #whileDown} changes the objects through a server on
 * another port, so the informers find the changes when they come back.
 *
 * <p>A real API server answers a watch resumed from an old resourceVersion with the events since, or, once etcd has
 * compacted them (5 minutes by default), with 410 Gone, and the informer relists. The mock does neither: a resumed
 * watch only sees what happens from then on, so deletions during the outage would never arrive.
 * {@link #expireWatchesOnNextStart} makes it answer 410 Gone to the first resumed watch of each resource, as the API
 * server does after a long outage.
 */
public class RestartableApiServer implements QuarkusTestResourceLifecycleManager {
    private final Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    private final KubernetesMixedDispatcher store = new KubernetesMixedDispatcher(responses);
    private final Set<String> expired = ConcurrentHashMap.newKeySet();
    private volatile boolean expireWatches;
    private final Dispatcher dispatcher = new Dispatcher() {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
            var path = request.getPath();
            int query = path.indexOf('?');
            if (expireWatches && query > 0 && path.contains("watch=true") && path.contains("resourceVersion=")
                    && expired.add(path.substring(0, query))) {
                return gone(request);
            }
            return store.dispatch(request);
        }
    };
    private final InetAddress address = InetAddress.getLoopbackAddress();
    private final Map<String, String> properties = new LinkedHashMap<>();
    private int port;
    private KubernetesMockServer server;
    private NamespacedKubernetesClient client;

    @Override
    public Map<String, String> start() {
        port = freePort();
        up();
        properties.put("kubernetes.master", "http://" + address.getHostAddress() + ":" + port);
        properties.put("kubernetes.trust.certificates", "true");
        properties.put("kubernetes.auth.tryKubeConfig", "false");
        properties.put("kubernetes.auth.tryServiceAccount", "false");
        properties.put("kubernetes.namespace", "test");
        properties.put("http2.disable", "true");
        // come back fast after an outage: the backoff doubles from here, up to 32 times this
        properties.put("kubernetes.watch.reconnectInterval", "100");
        properties.forEach(System::setProperty);
        return properties;
    }

    @Override
    public void stop() {
        down();
        properties.keySet().forEach(System::clearProperty);
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(this, new TestInjector.MatchesType(RestartableApiServer.class));
    }

    /** As the API server expires a watch: it opens, and its one event is an ERROR carrying 410 Expired. */
    private static MockResponse gone(RecordedRequest request) {
        var event = "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
                + "\"status\":\"Failure\",\"message\":\"too old resource version\",\"reason\":\"Expired\",\"code\":410}}";
        if (request.getHeader("Upgrade") == null) {
            return new MockResponse().setResponseCode(200).setBody(event + "\n");
        }
        return new MockResponse().withWebSocketUpgrade(new WebSocketListener() {
            @Override
            public void onOpen(WebSocket socket, Response response) {
                socket.send(event);
                socket.close(1000, "expired");
            }
        });
    }

    /** After the next {@link #up}, the first resumed watch of each resource gets 410 Gone (see the class comment). */
    public void expireWatchesOnNextStart() {
        expired.clear();
        expireWatches = true;
    }

    /** Starts serving on the port, with the objects it had. */
    public synchronized void up() {
        if (server != null) {
            return;
        }
        server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(), new MockWebServer(), responses, dispatcher, false);
        server.init(address, port);
        client = server.createClient();
    }

    /** Stops serving: connections are closed, new ones refused. */
    public synchronized void down() {
        if (server == null) {
            return;
        }
        client.close();
        server.destroy();
        server = null;
        client = null;
    }

    /** A client of the running server. */
    public synchronized KubernetesClient client() {
        if (client == null) {
            throw new IllegalStateException("the API server is down");
        }
        return client;
    }

    /** Changes the objects while the server is down, through a server on another port over the same store. */
    public synchronized void whileDown(Consumer<KubernetesClient> change) {
        var side = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(), new MockWebServer(), responses, dispatcher, false);
        side.init(address, 0);
        try (var sideClient = side.createClient()) {
            change.accept(sideClient);
        } finally {
            side.destroy();
        }
    }

    private static int freePort() {
        try (var socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
