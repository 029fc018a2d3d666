package dev.upstreamguard.admission;

import java.util.concurrent.RejectedExecutionException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The HTTP edge: {@code POST /validate} takes an admission.k8s.io/v1 AdmissionReview and returns one, or a 400 with a
 * one-line reason ({@code {"error": ...}}). The API server appends {@code ?timeout=10s} (the webhook's
 * timeoutSeconds); the answer honours it, counted from the moment the body arrived. A plain Vert.x route: the event
 * loop only reads the body and admits the review ({@link ReviewGate#tryEnter}: past
 * {@code upstream-guard.admission.max-in-flight} reviews queued or being judged, it answers at once, allowed with the
 * warning "overloaded"); a review worker parses, judges (and, on the deny path, confirms on a fresh read from the API
 * server, which blocks) and renders it, and the event loop writes the answer.
 */
@ApplicationScoped
public class ValidateRoute {
    private static final Logger LOG = Logger.getLogger(ValidateRoute.class);
    static final String PATH = "/validate";
    /** As {@code quarkus.http.limits.max-body-size}: a larger body gets 413, before it is read when it says its size. */
    static final long MAX_BODY = ReviewJson.MAX_DOCUMENT_LENGTH;

    /**
     * Resolved at startup, not when the route is registered: the router is set up before the metrics registry is
     * complete, and gauges registered on it then would never be exported. Never built on an event loop.
     */
    private final Instance<Admission> admissions;
    private volatile Admission admission;

    public ValidateRoute(Instance<Admission> admissions) {
        this.admissions = admissions;
    }

    void register(@Observes Router router) {
        router.post(PATH).handler(bodyHandler()).handler(this::validate).failureHandler(ValidateRoute::failed);
    }

    /** Builds the handler, rules and workers before the first review arrives. */
    void start(@Observes StartupEvent event) {
        admission();
    }

    /** Reads a review body whole, up to {@link #MAX_BODY}, into one buffer sized from its Content-Length. */
    static BodyHandler bodyHandler() {
        return BodyHandler.create(false).setBodyLimit(MAX_BODY).setPreallocateBodyBuffer(true);
    }

    /**
     * A body over the limit: 413, and the connection closed, so the rest of an oversized upload is never read (the
     * body handler alone would answer and then keep draining it).
     */
    private static void failed(RoutingContext rc) {
        if (rc.statusCode() == 413) {
            rc.response().setStatusCode(413).putHeader("Connection", "close").end("{\"error\":\"request body over "
                    + MAX_BODY / (1024 * 1024) + " MiB\"}").onComplete(done -> rc.request().connection().close());
        } else {
            rc.next();
        }
    }

    private void validate(RoutingContext rc) {
        long arrival = System.nanoTime();
        var admission = admission();
        var body = rc.body().buffer();
        var bytes = body == null ? new byte[0] : body.getBytes();
        var timeout = rc.request().getParam("timeout");
        var gate = admission.gate();
        if (!gate.tryEnter()) {
            reply(rc, render(gate.overloaded(bytes)));
            return;
        }
        var context = Vertx.currentContext();
        try {
            admission.workers().execute(() -> {
                Rendered answer;
                try {
                    answer = render(gate.judge(bytes, timeout, arrival));
                } catch (RuntimeException | Error e) {
                    LOG.errorf(e, "A review failed outside the guard's handler");
                    answer = null;
                } finally {
                    gate.exit();
                }
                var done = answer;
                context.runOnContext(v -> {
                    if (done == null) {
                        rc.fail(500);
                    } else {
                        reply(rc, done);
                    }
                });
            });
        } catch (RejectedExecutionException e) {
            gate.exit();
            reply(rc, render(gate.overloaded(bytes))); // the workers are shutting down
        }
    }

    private Admission admission() {
        var known = admission;
        if (known == null) {
            known = admissions.get();
            admission = known;
        }
        return known;
    }

    /** A reply as the bytes that go back. */
    private record Rendered(int status, byte[] json) {
    }

    private Rendered render(ReviewGate.Reply reply) {
        try {
            return new Rendered(reply.status(), admission().handler().json(reply.entity()));
        } catch (JsonProcessingException e) {
            LOG.errorf(e, "Could not write the answer to a review");
            return null;
        }
    }

    private static void reply(RoutingContext rc, Rendered rendered) {
        if (rendered == null) {
            rc.fail(500);
            return;
        }
        rc.response().setStatusCode(rendered.status()).putHeader("Content-Type", "application/json")
                .end(Buffer.buffer(rendered.json()));
    }
}
