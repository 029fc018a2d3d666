package dev.upstreamguard.admission;

import java.io.IOException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The benchmark's floor, only with {@code bench.floor-endpoint=true} (else the route does not exist):
 * {@code POST /bench/allow} reads the whole body, takes {@code request.uid} from it and answers a fixed allowed
 * AdmissionReview, through the same server, TLS and Jackson as {@code /validate} but deciding nothing. {@code bench/}
 * compares {@code /validate} with it side by side.
 */
@ApplicationScoped
public class BenchFloorRoute {
    static final String PATH = "/bench/allow";
    /** As {@code quarkus.http.limits.max-body-size} for {@code /validate}. */
    static final long MAX_BODY = 16L * 1024 * 1024;

    private final boolean enabled;
    private final ObjectMapper mapper;

    public BenchFloorRoute(@ConfigProperty(name = "bench.floor-endpoint", defaultValue = "false") boolean enabled,
                           ObjectMapper mapper) {
        this.enabled = enabled;
        this.mapper = mapper;
    }

    void register(@Observes Router router) {
        if (enabled) {
            router.post(PATH).handler(BodyHandler.create(false).setBodyLimit(MAX_BODY)).handler(this::allow);
        }
    }

    private void allow(RoutingContext rc) {
        try {
            var review = new AdmissionReview();
            review.setApiVersion(ReviewHandler.API_VERSION);
            review.setKind("AdmissionReview");
            var response = new AdmissionResponse();
            response.setUid(uid(rc.body().buffer()));
            response.setAllowed(true);
            review.setResponse(response);
            rc.response().putHeader("Content-Type", "application/json")
                    .end(Buffer.buffer(mapper.writeValueAsBytes(review)));
        } catch (IOException | RuntimeException e) {
            rc.response().setStatusCode(400).end("{\"error\":\"unreadable review\"}");
        }
    }

    /** {@code request.uid}, streamed: the rest of the body is skipped, not bound. */
    private String uid(Buffer body) throws IOException {
        try (JsonParser p = mapper.getFactory().createParser(body.getBytes())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not an object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                var field = p.currentName();
                p.nextToken();
                if (!field.equals("request")) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    var f = p.currentName();
                    p.nextToken();
                    if (f.equals("uid")) {
                        return p.getValueAsString();
                    }
                    p.skipChildren();
                }
            }
            throw new IOException("no request.uid");
        }
    }
}
