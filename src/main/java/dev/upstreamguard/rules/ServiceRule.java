package dev.upstreamguard.rules;

import io.fabric8.kubernetes.api.model.Service;

/** A rule over one Service. */
abstract class ServiceRule implements Rule<Service> {
    @Override
    public Class<Service> subjectType() {
        return Service.class;
    }
}
