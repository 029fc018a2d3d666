package dev.upstreamguard.admission;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The HTTP edge: {@code POST /validate} takes an admission.k8s.io/v1 AdmissionReview and returns one, or a 400 with a
 * one-line reason ({@code {"error": ...}}). The API server appends {@code ?timeout=10s} (the webhook's
 * timeoutSeconds); the answer honours it. A plain Vert.x route: a review of ordinary size is judged on the event loop
 * that read it (a few hundred microseconds of CPU, nothing that blocks), with no hop to a worker thread and no REST
 * layer; a body over {@link #EVENT_LOOP_MAX_BODY} (a multi-megabyte ConfigMap-sized object) is judged on a worker so
 * the event loop keeps serving the other connections meanwhile.
 */
@ApplicationScoped
public class ValidateRoute {
    private static final Logger LOG = Logger.getLogger(ValidateRoute.class);
    static final String PATH = "/validate";
    /** As {@code quarkus.http.limits.max-body-size}: a larger body gets 413, before it is read when it says its size. */
    static final long MAX_BODY = ReviewJson.MAX_DOCUMENT_LENGTH;
    /** Bodies up to this size are judged on the event loop (the 24 KB Deployment review takes ~0.3 ms). */
    static final int EVENT_LOOP_MAX_BODY = 256 * 1024;

    /**
     * Resolved on the first review, not when the route is registered: the router is set up before the metrics
     * registry is complete, and gauges registered on it then would never be exported.
     */
    private final Instance<Admission> admissions;
    private volatile Admission admission;

    public ValidateRoute(Instance<Admission> admissions) {
        this.admissions = admissions;
    }

    void register(@Observes Router router) {
        router.post(PATH).handler(bodyHandler()).handler(this::validate).failureHandler(ValidateRoute::failed);
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
        var admission = admission();
        var body = rc.body().buffer();
        var bytes = body == null ? new byte[0] : body.getBytes();
        var timeout = rc.request().getParam("timeout");
        if (bytes.length <= EVENT_LOOP_MAX_BODY) {
            reply(rc, admission.gate().handle(bytes, timeout));
        } else {
            rc.vertx().<ReviewGate.Reply>executeBlocking(() -> admission.gate().handle(bytes, timeout), false)
                    .onComplete(done -> {
                        if (done.succeeded()) {
                            reply(rc, done.result());
                        } else {
                            LOG.errorf(done.cause(), "A review failed outside the guard's handler");
                            rc.fail(done.cause());
                        }
                    });
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

    private void reply(RoutingContext rc, ReviewGate.Reply reply) {
        byte[] json;
        try {
            json = admission().handler().json(reply.entity());
        } catch (JsonProcessingException e) {
            LOG.errorf(e, "Could not write the answer to a review");
            rc.fail(e);
            return;
        }
        rc.response().setStatusCode(reply.status()).putHeader("Content-Type", "application/json")
                .end(Buffer.buffer(json));
    }
}
