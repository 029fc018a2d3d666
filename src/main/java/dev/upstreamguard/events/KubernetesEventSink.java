package dev.upstreamguard.events;

import java.time.Instant;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Writes Events to the API server, core v1, in the object's namespace, as {@code kubectl describe} shows them. */
public final class KubernetesEventSink implements EventSink {
    private final KubernetesClient client;
    private final String instance;

    public KubernetesEventSink(KubernetesClient client, String instance) {
        this.client = client;
        this.instance = instance;
    }

    @Override
    public void write(GuardEvent e) {
        var now = Instant.now().toString();
        var event = new EventBuilder()
                .withNewMetadata().withGenerateName(e.object().name() + ".").withNamespace(e.object().namespace())
                .endMetadata()
                .withNewInvolvedObject().withKind(e.object().kind()).withNamespace(e.object().namespace())
                .withName(e.object().name()).withUid(e.uid()).withApiVersion(e.apiVersion()).endInvolvedObject()
                .withReason(e.reason()).withMessage(e.message()).withType("Warning")
                .withNewSource().withComponent("upstream-guard").endSource()
                .withReportingComponent("upstream-guard.dev/webhook").withReportingInstance(instance)
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .build();
        client.v1().events().inNamespace(e.object().namespace()).resource(event).create();
    }
}
