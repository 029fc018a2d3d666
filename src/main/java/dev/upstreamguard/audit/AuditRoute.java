package dev.upstreamguard.audit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /audit} on the management interface (port 9000): runs the audit now and returns the report as JSON. Not
 * on the port the webhook Service exposes: the report names every namespace's routes and findings, and each call is a
 * whole-cluster audit, so it is for whoever can reach the pod, not for anyone who can reach the webhook.
 */
@ApplicationScoped
public class AuditRoute {
    static final String PATH = "/audit";
    private static final Logger LOG = Logger.getLogger(AuditRoute.class);

    private final AuditService audit;
    private final ObjectMapper mapper;

    public AuditRoute(AuditService audit, ObjectMapper mapper) {
        this.audit = audit;
        this.mapper = mapper;
    }

    /** Fired only when the management interface is enabled (it is in every profile: application.properties). */
    void register(@Observes ManagementInterface management) {
        // blocking: an audit walks the whole view; ordered=false, AuditService.run serialises audits itself
        management.router().get(PATH).blockingHandler(this::audit, false);
    }

    private void audit(RoutingContext rc) {
        byte[] json;
        try {
            json = mapper.writeValueAsBytes(audit.run());
        } catch (JsonProcessingException e) {
            LOG.errorf(e, "Could not write the audit report");
            rc.fail(e);
            return;
        }
        rc.response().putHeader("Content-Type", "application/json").end(Buffer.buffer(json));
    }
}
