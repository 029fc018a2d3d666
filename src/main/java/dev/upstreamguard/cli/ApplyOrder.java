package dev.upstreamguard.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * The order in which a deploy tool applies a bundle, as the steps the API server (and so the webhook) sees:
 * <ul>
 * <li>{@code helm}: pre-install hooks, then every object in Helm's kind install order (kinds Helm does not know come
 * after, by kind name; the same kind keeps its order), then the other hooks;</li>
 * <li>{@code argocd}: sync phase ({@code argocd.argoproj.io/hook}: PreSync, Sync, PostSync; Helm hooks mapped to
 * them), then sync wave ({@code argocd.argoproj.io/sync-wave}), then kind order (unknown kinds last), then name;</li>
 * <li>{@code flux}: the kustomize-controller's server-side dry run of the whole batch against the cluster as it was,
 * then the apply in kind order;</li>
 * <li>{@code kubectl}: {@code kubectl apply -f}: files in path order, documents in file order.</li>
 * </ul>
 */
public enum ApplyOrder {
    HELM, ARGOCD, FLUX, KUBECTL;

    /** Helm's install order ({@code releaseutil.InstallOrder}); Argo CD's and Flux's put these kinds the same way. */
    public static final List<String> KIND_ORDER = List.of("Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange",
            "PodSecurityPolicy", "PodDisruptionBudget", "ServiceAccount", "Secret", "SecretList", "ConfigMap",
            "StorageClass", "PersistentVolume", "PersistentVolumeClaim", "CustomResourceDefinition", "ClusterRole",
            "ClusterRoleList", "ClusterRoleBinding", "ClusterRoleBindingList", "Role", "RoleList", "RoleBinding",
            "RoleBindingList", "Service", "DaemonSet", "Pod", "ReplicationController", "ReplicaSet", "Deployment",
            "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress", "APIService",
            "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration");

    static final String HELM_HOOK = "helm.sh/hook";
    static final String HELM_HOOK_WEIGHT = "helm.sh/hook-weight";
    static final String ARGOCD_HOOK = "argocd.argoproj.io/hook";
    static final String ARGOCD_WAVE = "argocd.argoproj.io/sync-wave";

    /** One pass of the tool over (part of) the bundle. */
    public record Step(String name, List<BundleObject> objects, boolean dryRun) {
    }

    /** {@code helm}, {@code argocd}, {@code flux} or {@code kubectl}. */
    public static Optional<ApplyOrder> parse(String name) {
        for (var o : values()) {
            if (o.label().equals(name)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The steps this tool takes to apply the bundle (given in file order). */
    public List<Step> plan(List<BundleObject> bundle) {
        return switch (this) {
            case HELM -> List.of(new Step("install", helm(bundle), false));
            case ARGOCD -> List.of(new Step("sync", argocd(bundle), false));
            case FLUX -> {
                var sorted = inKindOrder(bundle, BundleObject::object);
                yield List.of(new Step("dry-run", sorted, true), new Step("apply", sorted, false));
            }
            case KUBECTL -> List.of(new Step("apply", List.copyOf(bundle), false));
        };
    }

    /** Stable sort by Helm's kind order; unknown kinds after the known ones, by kind name. */
    public static <T> List<T> inKindOrder(List<T> objects, Function<T, HasMetadata> object) {
        var sorted = new ArrayList<>(objects);
        sorted.sort(byKind(object));
        return sorted;
    }

    private static <T> Comparator<T> byKind(Function<T, HasMetadata> object) {
        return Comparator.<T>comparingInt(t -> kindRank(object.apply(t).getKind()))
                .thenComparing(t -> kindRank(object.apply(t).getKind()) < KIND_ORDER.size() ? ""
                        : object.apply(t).getKind());
    }

    static int kindRank(String kind) {
        int i = KIND_ORDER.indexOf(kind);
        return i < 0 ? KIND_ORDER.size() : i;
    }

    private static List<BundleObject> helm(List<BundleObject> bundle) {
        bundle.forEach(b -> weight(b, HELM_HOOK_WEIGHT)); // a bad weight is bad input even where no sort compares it
        var sorted = new ArrayList<>(bundle);
        sorted.sort(Comparator.<BundleObject>comparingInt(b -> helmPhase(b.object()))
                .thenComparingInt(b -> helmPhase(b.object()) == 0 ? 0 : weight(b, HELM_HOOK_WEIGHT))
                .thenComparing(byKind(BundleObject::object)));
        return sorted;
    }

    /** -1 pre-install hooks, 0 the release's objects, 1 every other hook. */
    private static int helmPhase(HasMetadata o) {
        var hook = annotation(o, HELM_HOOK);
        if (hook == null) {
            return 0;
        }
        return hook.contains("pre-install") ? -1 : 1;
    }

    private static List<BundleObject> argocd(List<BundleObject> bundle) {
        bundle.forEach(b -> weight(b, ARGOCD_WAVE)); // a bad wave is bad input even where no sort compares it
        var sorted = new ArrayList<>(bundle);
        sorted.sort(Comparator.<BundleObject>comparingInt(b -> argoPhase(b.object()))
                .thenComparingInt(b -> weight(b, ARGOCD_WAVE))
                .thenComparingInt(b -> kindRank(b.object().getKind()))
                .thenComparing(b -> kindRank(b.object().getKind()) < KIND_ORDER.size() ? "" : b.object().getKind())
                .thenComparing(b -> b.object().getMetadata().getName()));
        return sorted;
    }

    private static final Map<String, Integer> ARGO_PHASES = Map.of("PreSync", -1, "Sync", 0, "PostSync", 1,
            "SyncFail", 2, "PostDelete", 2, "Skip", 2);

    /** PreSync -1, Sync 0, PostSync 1 (Helm's pre-/post-install hooks count as those). */
    private static int argoPhase(HasMetadata o) {
        var hook = annotation(o, ARGOCD_HOOK);
        if (hook != null) {
            return ARGO_PHASES.getOrDefault(hook.split(",")[0].trim(), 0);
        }
        var helm = annotation(o, HELM_HOOK);
        if (helm == null) {
            return 0;
        }
        return helm.contains("pre-install") ? -1 : helm.contains("post-install") ? 1 : 0;
    }

    /** An integer annotation (sync wave, hook weight); 0 when absent; bad input when not an integer. */
    private static int weight(BundleObject b, String key) {
        var value = annotation(b.object(), key);
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new CheckInputException(b.where() + ": " + b.ref() + " annotation " + key + " \"" + value
                    + "\" is not an integer");
        }
    }

    private static String annotation(HasMetadata o, String key) {
        var annotations = o.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }
}
