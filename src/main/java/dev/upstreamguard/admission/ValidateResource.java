package dev.upstreamguard.admission;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The HTTP edge: {@code POST /validate} takes an admission.k8s.io/v1 AdmissionReview and returns one, or a 400 with a
 * one-line reason. The API server appends {@code ?timeout=10s} (the webhook's timeoutSeconds); the answer honours it.
 */
@Path("/validate")
public class ValidateResource {
    private final Admission admission;

    public ValidateResource(Admission admission) {
        this.admission = admission;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response validate(byte[] body, @QueryParam("timeout") String timeout) {
        var reply = admission.gate().handle(body, timeout);
        return Response.status(reply.status()).entity(reply.entity()).build();
    }
}
