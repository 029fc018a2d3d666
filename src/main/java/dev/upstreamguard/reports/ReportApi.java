package dev.upstreamguard.reports;

import java.util.List;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * One policy reports API the audit writes to. There are no fabric8 model classes for either, so reports are
 * {@link GenericKubernetesResource}s addressed through this context.
 *
 * @param group          the API group
 * @param version        the version written
 * @param kind           the namespaced report kind
 * @param plural         its resource name, as discovery and RBAC name it
 * @param sourceOnReport whether the report itself carries {@code source} and {@code configuration.limits}
 *                       (openreports.io does; wgpolicyk8s.io v1alpha2 has only the per-result {@code source})
 */
public record ReportApi(String group, String version, String kind, String plural, boolean sourceOnReport) {
    /** The Policy Report API of the Kubernetes Policy WG, which Kyverno and Policy Reporter read. */
    public static final ReportApi POLICY_REPORT = new ReportApi("wgpolicyk8s.io", "v1alpha2", "PolicyReport",
            "policyreports", false);
    /** Its successor at openreports.io. */
    public static final ReportApi OPEN_REPORT = new ReportApi("openreports.io", "v1alpha1", "Report", "reports", true);
    /** Every API written to, each where the cluster serves it. */
    public static final List<ReportApi> ALL = List.of(POLICY_REPORT, OPEN_REPORT);

    /** {@code group/version}: the reports' apiVersion, discovery's path, and the {@code api} label of the metrics. */
    public String apiVersion() {
        return group + "/" + version;
    }

    /** {@code plural.group}, the name of the CustomResourceDefinition that serves it. */
    public String crdName() {
        return plural + "." + group;
    }

    /** The context fabric8's generic client addresses these reports by. */
    public ResourceDefinitionContext context() {
        return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind)
                .withPlural(plural).withNamespaced(true).build();
    }
}
