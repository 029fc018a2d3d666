package dev.upstreamguard.admission;

import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

/** The HTTP edge: {@code POST /validate} takes an admission.k8s.io/v1 AdmissionReview and returns one. */
@Path("/validate")
public class ValidateResource {
    private static final Logger LOG = Logger.getLogger(ValidateResource.class);

    private final Admission admission;

    public ValidateResource(Admission admission) {
        this.admission = admission;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response validate(byte[] body) {
        var handler = admission.handler();
        try {
            var review = handler.parse(body);
            return Response.ok(handler.answer(review)).build();
        } catch (BadReview e) {
            LOG.debugf("Rejected a review: %s", e.getMessage());
            return Response.status(400).entity(Map.of("error", e.getMessage())).build();
        }
    }
}
