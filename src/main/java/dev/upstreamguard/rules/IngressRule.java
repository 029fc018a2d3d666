package dev.upstreamguard.rules;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;

/** A rule over one Ingress. */
abstract class IngressRule implements Rule<Ingress> {
    @Override
    public Class<Ingress> subjectType() {
        return Ingress.class;
    }
}
