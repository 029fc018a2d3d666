package dev.upstreamguard.deploy;

import java.io.IOException;
import java.io.StringReader;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;

import dev.upstreamguard.admission.HandledKinds;
import dev.upstreamguard.cluster.InformerFeed;
import dev.upstreamguard.policy.GuardConfig;
import dev.upstreamguard.reports.ReportApi;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;

/**
 * What every way of installing upstream-guard must get right (the kustomize base and overlays today, a Helm chart
 * later), checked on parsed objects against the code: the webhook registers exactly what {@link HandledKinds} judges,
 * the RBAC grants exactly what {@link InformerFeed} watches, and the Deployment serves where the app listens. Each
 * check returns the problems it found, empty when it holds, so one run shows all of them.
 */
public final class WebhookInvariants {
    /** Where the app reads tls.crt and tls.key in the prod profile. */
    public static final String TLS_MOUNT = "/etc/upstream-guard/tls";
    /** The HTTPS port /validate is served on in the prod profile. */
    public static final int HTTPS_PORT = 8443;
    /** The plain-HTTP management interface port (health, metrics) in the prod profile. */
    public static final int MANAGEMENT_PORT = 9000;
    /** The environment variable behind {@code upstream-guard.mode}. */
    public static final String MODE_ENV = "UPSTREAM_GUARD_MODE";
    /** The environment variable naming extra config files (comma-separated), read at runtime. */
    public static final String CONFIG_LOCATIONS_ENV = "QUARKUS_CONFIG_LOCATIONS";
    public static final String INJECT_CA_FROM = "cert-manager.io/inject-ca-from";

    private static final Set<String> READ = Set.of("get", "list", "watch");
    private static final Set<String> EVENT_WRITE = Set.of("create", "patch");
    private static final Set<String> EVENT_RESOURCES = Set.of("/events", "events.k8s.io/events");
    /** What the guard does to its own policy reports: create, read back, update in place, delete when resolved. */
    private static final Set<String> REPORT_WRITE = Set.of("create", "get", "list", "update", "patch", "delete");
    private static final Set<String> ALL_OPERATIONS = Set.of("CREATE", "UPDATE", "DELETE");

    private final List<HasMetadata> objects;

    public WebhookInvariants(List<HasMetadata> objects) {
        this.objects = List.copyOf(objects);
    }

    /** The objects under check. */
    public List<HasMetadata> objects() {
        return objects;
    }

    /** Every check that must hold whatever the install options, by name, in a stable order. */
    public Map<String, Supplier<List<String>>> checks() {
        var checks = new LinkedHashMap<String, Supplier<List<String>>>();
        checks.put("webhook registers exactly the handled kinds and subresources", this::webhookRules);
        checks.put("webhook fails open within 3s, v1 reviews only, no side effects on dry run", this::webhookSettings);
        checks.put("webhook calls /validate on the guard Service, which reaches container port 8443",
                this::clientConfig);
        checks.put("webhook skips kube-system, kube-node-lease, its own namespace and mode=off",
                this::namespaceSelector);
        checks.put("webhook skips kube-system service accounts", this::matchConditions);
        checks.put("RBAC reads exactly what the informers watch, writes only events and its policy reports, nothing "
                + "on secrets", this::rbac);
        checks.put("Deployment survives a node drain: replicas, PDB, topology spread, critical priority",
                this::availability);
        checks.put("Deployment runs locked down: non-root, read-only root, no capabilities, seccomp",
                this::securityContext);
        checks.put("Deployment requests CPU and memory", this::resources);
        checks.put("probes hit the health endpoints on management port 9000", this::probes);
        checks.put("TLS Secret is mounted where the app reads its certificate", this::tlsMount);
        checks.put("config files the app is pointed at are mounted ConfigMap keys with only keys GuardConfig declares",
                this::appConfigFiles);
        return checks;
    }

    // --- the webhook ------------------------------------------------------------------------------------------

    /** The registered group/version/resource set equals HandledKinds (CREATE/UPDATE/DELETE) plus /scale (UPDATE). */
    public List<String> webhookRules() {
        var p = new ArrayList<String>();
        var expected = expectedRegistrations();
        var actual = new TreeMap<String, Set<String>>();
        for (var rule : webhook().getRules()) {
            for (var field : List.of(rule.getApiGroups(), rule.getApiVersions(), rule.getResources(),
                    rule.getOperations())) {
                if (field != null && field.stream().anyMatch(s -> s.contains("*"))) {
                    p.add("webhook rule " + rule + " uses a wildcard: register each resource by name");
                }
            }
            for (var g : nn(rule.getApiGroups())) {
                for (var v : nn(rule.getApiVersions())) {
                    for (var r : nn(rule.getResources())) {
                        actual.computeIfAbsent(g + "/" + v + "/" + r, k -> new TreeSet<>())
                                .addAll(nn(rule.getOperations()));
                    }
                }
            }
        }
        if (!expected.keySet().equals(actual.keySet())) {
            p.add("webhook registers " + actual.keySet() + " but the code handles exactly " + expected.keySet()
                    + " (HandledKinds.KINDS and HandledKinds.SUBRESOURCES)");
        }
        expected.forEach((gvr, ops) -> {
            var got = actual.get(gvr);
            if (got != null && !got.equals(ops)) {
                p.add("webhook registers " + gvr + " for " + got + ", expected exactly " + new TreeSet<>(ops));
            }
        });
        return p;
    }

    /** "group/version/resource" (subresources as "apps/v1/deployments/scale") -> the operations to register. */
    public static Map<String, Set<String>> expectedRegistrations() {
        var expected = new TreeMap<String, Set<String>>();
        var groupVersionOf = new TreeMap<String, String>();
        HandledKinds.KINDS.forEach((gvk, type) -> {
            var groupVersion = gvk.substring(0, gvk.lastIndexOf('/'));
            // a kind without a model class (the v1 ReferenceGrant) is handled as a generic resource: plural by name
            var resource = type == GenericKubernetesResource.class
                    ? gvk.substring(gvk.lastIndexOf('/') + 1).toLowerCase(java.util.Locale.ROOT) + "s"
                    : HasMetadata.getPlural(type);
            groupVersionOf.put(resource, groupVersion);
            expected.put(groupVersion + "/" + resource, new TreeSet<>(ALL_OPERATIONS));
        });
        for (var sub : HandledKinds.SUBRESOURCES.keySet()) {
            var parent = sub.substring(0, sub.indexOf('/'));
            var groupVersion = Objects.requireNonNull(groupVersionOf.get(parent),
                    "subresource " + sub + " of a kind HandledKinds does not handle");
            expected.put(groupVersion + "/" + sub, new TreeSet<>(Set.of("UPDATE")));
        }
        return expected;
    }

    /** failurePolicy Ignore, timeoutSeconds 3, sideEffects NoneOnDryRun, admissionReviewVersions [v1], Equivalent. */
    public List<String> webhookSettings() {
        var p = new ArrayList<String>();
        var w = webhook();
        expect(p, "failurePolicy", "Ignore", w.getFailurePolicy());
        expect(p, "timeoutSeconds", 3, w.getTimeoutSeconds());
        expect(p, "sideEffects", "NoneOnDryRun", w.getSideEffects());
        expect(p, "admissionReviewVersions", List.of("v1"), w.getAdmissionReviewVersions());
        expect(p, "matchPolicy", "Equivalent", w.getMatchPolicy());
        return p;
    }

    /** The webhook calls the guard's own Service on path /validate, and that port leads to the HTTPS container port. */
    public List<String> clientConfig() {
        var p = new ArrayList<String>();
        var cc = webhook().getClientConfig();
        if (cc == null || cc.getService() == null) {
            return List.of("webhook clientConfig must name a Service (not a url)");
        }
        if (cc.getUrl() != null) {
            p.add("webhook clientConfig sets url " + cc.getUrl() + ": use service only");
        }
        var ref = cc.getService();
        expect(p, "clientConfig.service.path", "/validate", ref.getPath());
        var service = find(Service.class, ref.getNamespace(), ref.getName());
        if (service.isEmpty()) {
            p.add("clientConfig names Service " + ref.getNamespace() + "/" + ref.getName()
                    + ", which is not installed");
            return p;
        }
        var deployment = deployment();
        expect(p, "guard Service namespace", deployment.getMetadata().getNamespace(), ref.getNamespace());
        var selector = nn(service.get().getSpec().getSelector());
        if (selector.isEmpty() || !matches(new LabelSelector(null, selector), podLabels())) {
            p.add("Service " + ref.getName() + " selector " + service.get().getSpec().getSelector()
                    + " does not select the guard's pods " + podLabels());
        }
        int port = ref.getPort() == null ? 443 : ref.getPort();
        var servicePort = nn(service.get().getSpec().getPorts()).stream().filter(sp -> sp.getPort() == port)
                .findFirst();
        if (servicePort.isEmpty()) {
            p.add("clientConfig port " + port + " is not a port of Service " + ref.getName());
            return p;
        }
        var target = servicePort.get().getTargetPort() == null ? new IntOrString(port)
                : servicePort.get().getTargetPort();
        var resolved = containerPort(guardContainer(), target);
        if (resolved.isEmpty() || resolved.get() != HTTPS_PORT) {
            p.add("Service port " + port + " targets " + target.getValue() + ", which resolves to "
                    + resolved.map(String::valueOf).orElse("no container port") + ", not " + HTTPS_PORT);
        }
        return p;
    }

    /** The namespaceSelector, evaluated on sample namespaces: system, own and mode=off skipped, the rest judged. */
    public List<String> namespaceSelector() {
        var p = new ArrayList<String>();
        var w = webhook();
        var own = deployment().getMetadata().getNamespace();
        var skipped = new LinkedHashMap<String, Map<String, String>>();
        skipped.put("kube-system", nsLabels("kube-system"));
        skipped.put("kube-node-lease", nsLabels("kube-node-lease"));
        skipped.put(own + " (by name alone)", nsLabels(own));
        find(Namespace.class, null, own).ifPresent(ns -> {
            var labels = new TreeMap<>(nsLabels(own));
            labels.putAll(nn(ns.getMetadata().getLabels()));
            skipped.put(own + " (as installed)", labels);
        });
        var off = nsLabels("shop");
        off.put("upstream-guard.dev/mode", "off");
        skipped.put("shop labelled mode=off", off);
        skipped.forEach((what, labels) -> {
            if (matches(w.getNamespaceSelector(), labels)) {
                p.add("namespaceSelector lets the webhook judge " + what + " " + labels);
            }
        });
        var judged = new LinkedHashMap<String, Map<String, String>>();
        judged.put("shop", nsLabels("shop"));
        judged.put("default", nsLabels("default"));
        var warn = nsLabels("shop");
        warn.put("upstream-guard.dev/mode", "warn");
        judged.put("shop labelled mode=warn", warn);
        judged.forEach((what, labels) -> {
            if (!matches(w.getNamespaceSelector(), labels)) {
                p.add("namespaceSelector skips " + what + " " + labels + ", which must be judged");
            }
        });
        if (w.getObjectSelector() != null && !matches(w.getObjectSelector(), Map.of())) {
            p.add("objectSelector skips unlabelled objects");
        }
        return p;
    }

    /** A matchCondition drops every request from a kube-system service account (namespace controller, GC, ...). */
    public List<String> matchConditions() {
        var expressions = nn(webhook().getMatchConditions()).stream()
                .map(c -> c.getExpression() == null ? "" : c.getExpression().replaceAll("\\s", "").replace('"', '\''))
                .toList();
        var problems = new java.util.ArrayList<String>();
        if (expressions.stream().anyMatch(e -> e.contains("startsWith("))) {
            problems.add("a matchCondition exempts users by prefix; name the controllers one by one (user tooling runs "
                    + "under kube-system service accounts too)");
        }
        for (var user : dev.upstreamguard.policy.Exemptions.CONTROLLERS) {
            if (expressions.stream().noneMatch(e -> e.startsWith("!(request.userInfo.usernamein[") && e.contains("'" + user + "'"))) {
                problems.add("no matchCondition exempts " + user + " (the control plane's controllers delete namespaces, "
                        + "collect garbage and scale: they must never be judged)");
            }
        }
        return problems;
    }

    /** No caBundle in the manifests: gen-certs.sh --apply or cert-manager writes it; a re-apply must not wipe it. */
    public List<String> noStaticCaBundle() {
        var cc = webhook().getClientConfig();
        return cc != null && cc.getCaBundle() != null
                ? List.of("webhook clientConfig.caBundle is set in the manifests; leave it to the installer")
                : List.of();
    }

    // --- RBAC -------------------------------------------------------------------------------------------------

    /**
     * The guard's service account reads (get/list/watch) exactly the kinds InformerFeed watches, may create/patch
     * events, may create/get/list/update/patch/delete exactly the policy report resources it writes
     * ({@link ReportApi#ALL}), and nothing else; no role in the manifests mentions secrets or uses a wildcard.
     */
    public List<String> rbac() {
        var p = new ArrayList<String>();
        for (var o : objects) {
            var rules = o instanceof ClusterRole cr ? cr.getRules() : o instanceof Role r ? r.getRules() : null;
            for (var rule : nn(rules)) {
                if (nn(rule.getResources()).stream().anyMatch(r -> r.equals("secrets") || r.startsWith("secrets/"))) {
                    p.add(o.getKind() + " " + o.getMetadata().getName() + " grants " + rule.getVerbs()
                            + " on secrets: the guard never needs credentials");
                }
                for (var field : List.of(nn(rule.getApiGroups()), nn(rule.getResources()), nn(rule.getVerbs()))) {
                    if (field.stream().anyMatch(s -> s.contains("*"))) {
                        p.add(o.getKind() + " " + o.getMetadata().getName() + " uses a wildcard in " + rule);
                    }
                }
                if (!nn(rule.getNonResourceURLs()).isEmpty()) {
                    p.add(o.getKind() + " " + o.getMetadata().getName() + " grants nonResourceURLs "
                            + rule.getNonResourceURLs());
                }
            }
        }
        var grants = new TreeMap<String, Set<String>>();
        for (var rule : guardRules(p)) {
            for (var g : nn(rule.getApiGroups())) {
                for (var r : nn(rule.getResources())) {
                    grants.computeIfAbsent(g + "/" + r, k -> new TreeSet<>()).addAll(nn(rule.getVerbs()));
                }
            }
        }
        var reads = new TreeSet<String>();
        for (var kind : InformerFeed.KINDS) {
            reads.add(HasMetadata.getGroup(kind) + "/" + HasMetadata.getPlural(kind));
        }
        for (var kind : InformerFeed.GATEWAY_API_KINDS) {
            reads.add("gateway.networking.k8s.io/" + kind.toLowerCase(java.util.Locale.ROOT) + "s");
        }
        for (var read : reads) {
            var verbs = grants.getOrDefault(read, Set.of());
            if (!verbs.equals(READ)) {
                p.add("InformerFeed watches " + read + " but the guard may " + verbs + " it; expected exactly "
                        + new TreeSet<>(READ));
            }
        }
        var reports = new TreeSet<String>();
        for (var api : ReportApi.ALL) {
            reports.add(api.group() + "/" + api.plural());
        }
        for (var report : reports) {
            var verbs = grants.getOrDefault(report, Set.of());
            if (!verbs.equals(REPORT_WRITE)) {
                p.add("the guard writes " + report + " but may " + verbs + " it; expected exactly "
                        + new TreeSet<>(REPORT_WRITE));
            }
        }
        boolean events = false;
        for (var e : grants.entrySet()) {
            if (reports.contains(e.getKey())) {
                continue; // checked above
            }
            if (EVENT_RESOURCES.contains(e.getKey())) {
                events = true;
                if (!e.getValue().equals(EVENT_WRITE)) {
                    p.add("the guard may " + e.getValue() + " " + e.getKey() + "; expected exactly "
                            + new TreeSet<>(EVENT_WRITE));
                }
            } else if (!reads.contains(e.getKey())) {
                p.add("the guard may " + e.getValue() + " " + e.getKey() + ", which no informer watches");
            }
        }
        if (!events) {
            p.add("the guard may not create/patch events (core or events.k8s.io): findings could not be recorded");
        }
        return p;
    }

    /** Rules of every (Cluster)Role bound to the Deployment's service account. */
    private List<PolicyRule> guardRules(List<String> p) {
        var ns = deployment().getMetadata().getNamespace();
        var sa = Optional.ofNullable(podSpec().getServiceAccountName()).orElse("default");
        var refs = new ArrayList<RoleRef>();
        var roleNamespaces = new ArrayList<String>();
        for (var o : objects) {
            List<Subject> subjects = o instanceof ClusterRoleBinding b ? b.getSubjects()
                    : o instanceof RoleBinding b ? b.getSubjects() : null;
            RoleRef ref = o instanceof ClusterRoleBinding b ? b.getRoleRef()
                    : o instanceof RoleBinding b ? b.getRoleRef() : null;
            boolean bindsGuard = nn(subjects).stream().anyMatch(s -> "ServiceAccount".equals(s.getKind())
                    && sa.equals(s.getName()) && ns.equals(s.getNamespace() == null ? o.getMetadata().getNamespace()
                            : s.getNamespace()));
            if (bindsGuard && ref != null) {
                refs.add(ref);
                roleNamespaces.add(o.getMetadata().getNamespace());
            }
        }
        if (refs.isEmpty()) {
            p.add("no (Cluster)RoleBinding grants anything to ServiceAccount " + ns + "/" + sa);
        }
        var rules = new ArrayList<PolicyRule>();
        for (int i = 0; i < refs.size(); i++) {
            var ref = refs.get(i);
            if ("ClusterRole".equals(ref.getKind())) {
                var role = find(ClusterRole.class, null, ref.getName());
                role.ifPresentOrElse(r -> rules.addAll(nn(r.getRules())),
                        () -> p.add("binding refers to ClusterRole " + ref.getName() + ", which is not installed"));
            } else {
                var role = find(Role.class, roleNamespaces.get(i), ref.getName());
                role.ifPresentOrElse(r -> rules.addAll(nn(r.getRules())),
                        () -> p.add("binding refers to Role " + ref.getName() + ", which is not installed"));
            }
        }
        return rules;
    }

    // --- the Deployment ---------------------------------------------------------------------------------------

    /** At least 2 replicas, a PDB that keeps one yet lets a drain proceed, spread over nodes, critical priority. */
    public List<String> availability() {
        var p = new ArrayList<String>();
        var d = deployment();
        int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        if (replicas < 2) {
            p.add("Deployment has " + replicas + " replica(s); at least 2, or one node drain disables the guard");
        }
        var pdbs = objects.stream().filter(PodDisruptionBudget.class::isInstance).map(PodDisruptionBudget.class::cast)
                .filter(b -> Objects.equals(b.getMetadata().getNamespace(), d.getMetadata().getNamespace()))
                .filter(b -> matches(b.getSpec().getSelector(), podLabels())).toList();
        if (pdbs.isEmpty()) {
            p.add("no PodDisruptionBudget selects the guard's pods " + podLabels());
        }
        for (var pdb : pdbs) {
            var min = pdb.getSpec().getMinAvailable();
            var max = pdb.getSpec().getMaxUnavailable();
            if (min != null && min.getIntVal() != null && (min.getIntVal() < 1 || min.getIntVal() >= replicas)) {
                p.add("PDB minAvailable " + min.getIntVal() + " must be at least 1 and below replicas " + replicas
                        + " (else it protects nothing, or blocks every drain)");
            }
            if (max != null && max.getIntVal() != null && (max.getIntVal() < 1 || max.getIntVal() >= replicas)) {
                p.add("PDB maxUnavailable " + max.getIntVal() + " must be at least 1 and below replicas " + replicas);
            }
            if (min == null && max == null) {
                p.add("PDB sets neither minAvailable nor maxUnavailable");
            }
        }
        var spreadOverNodes = nn(podSpec().getTopologySpreadConstraints()).stream()
                .anyMatch(c -> "kubernetes.io/hostname".equals(c.getTopologyKey())
                        && matches(c.getLabelSelector(), podLabels()));
        if (!spreadOverNodes) {
            p.add("no topologySpreadConstraint over kubernetes.io/hostname selects the guard's pods");
        }
        expect(p, "priorityClassName", "system-cluster-critical", podSpec().getPriorityClassName());
        return p;
    }

    /** Every container: non-root, read-only root, no privilege escalation, drop ALL, seccomp RuntimeDefault. */
    public List<String> securityContext() {
        var p = new ArrayList<String>();
        var pod = Optional.ofNullable(podSpec().getSecurityContext()).orElseGet(PodSecurityContext::new);
        for (var c : allContainers()) {
            var sc = Optional.ofNullable(c.getSecurityContext()).orElseGet(SecurityContext::new);
            var name = "container " + c.getName();
            var nonRoot = sc.getRunAsNonRoot() != null ? sc.getRunAsNonRoot() : pod.getRunAsNonRoot();
            if (!Boolean.TRUE.equals(nonRoot)) {
                p.add(name + ": runAsNonRoot is not true");
            }
            var uid = sc.getRunAsUser() != null ? sc.getRunAsUser() : pod.getRunAsUser();
            if (uid != null && uid == 0) {
                p.add(name + ": runs as uid 0");
            }
            if (!Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem())) {
                p.add(name + ": readOnlyRootFilesystem is not true");
            }
            if (!Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
                p.add(name + ": allowPrivilegeEscalation is not false");
            }
            if (sc.getCapabilities() == null || !nn(sc.getCapabilities().getDrop()).contains("ALL")
                    || !nn(sc.getCapabilities().getAdd()).isEmpty()) {
                p.add(name + ": capabilities must drop ALL and add none");
            }
            var seccomp = sc.getSeccompProfile() != null ? sc.getSeccompProfile() : pod.getSeccompProfile();
            if (seccomp == null || !"RuntimeDefault".equals(seccomp.getType())) {
                p.add(name + ": seccompProfile is not RuntimeDefault");
            }
        }
        return p;
    }

    /** Every container requests CPU and memory, so the scheduler places the guard where it can answer in time. */
    public List<String> resources() {
        var p = new ArrayList<String>();
        for (var c : allContainers()) {
            var requests = c.getResources() == null ? null : c.getResources().getRequests();
            for (var r : List.of("cpu", "memory")) {
                if (requests == null || !requests.containsKey(r)) {
                    p.add("container " + c.getName() + " requests no " + r);
                }
            }
        }
        return p;
    }

    /** startup, liveness and readiness probes: HTTP GET /q/health/{started,live,ready} on port 9000. */
    public List<String> probes() {
        var p = new ArrayList<String>();
        var c = guardContainer();
        probe(p, "startupProbe", c.getStartupProbe(), "/q/health/started", c);
        probe(p, "livenessProbe", c.getLivenessProbe(), "/q/health/live", c);
        probe(p, "readinessProbe", c.getReadinessProbe(), "/q/health/ready", c);
        return p;
    }

    private static void probe(List<String> p, String what, Probe probe, String path, Container c) {
        if (probe == null || probe.getHttpGet() == null) {
            p.add(what + " missing or not an httpGet");
            return;
        }
        var get = probe.getHttpGet();
        expect(p, what + ".httpGet.path", path, get.getPath());
        var scheme = get.getScheme() == null ? "HTTP" : get.getScheme();
        expect(p, what + ".httpGet.scheme (management is plain HTTP)", "HTTP", scheme);
        var port = containerPort(c, get.getPort());
        if (port.isEmpty() || port.get() != MANAGEMENT_PORT) {
            p.add(what + " port " + (get.getPort() == null ? null : get.getPort().getValue()) + " resolves to "
                    + port.map(String::valueOf).orElse("no container port") + ", not management port "
                    + MANAGEMENT_PORT);
        }
    }

    /** A Secret volume is mounted at {@link #TLS_MOUNT}, where the prod profile reads tls.crt and tls.key. */
    public List<String> tlsMount() {
        return tlsSecretName().isPresent() ? List.of()
                : List.of("no Secret volume mounted at " + TLS_MOUNT + " in container " + guardContainer().getName());
    }

    /** The name of the Secret mounted at {@link #TLS_MOUNT}. */
    public Optional<String> tlsSecretName() {
        var mount = nn(guardContainer().getVolumeMounts()).stream()
                .filter(m -> TLS_MOUNT.equals(m.getMountPath().replaceAll("/+$", ""))).findFirst();
        return mount.flatMap(m -> nn(podSpec().getVolumes()).stream().filter(v -> v.getName().equals(m.getName()))
                .findFirst()).filter(v -> v.getSecret() != null).map(v -> v.getSecret().getSecretName());
    }

    // --- options: mode and cert-manager -----------------------------------------------------------------------

    /**
     * The global mode the Deployment runs with: {@link #MODE_ENV} if set (environment variables win in Quarkus), else
     * {@code upstream-guard.mode} from the config files it is pointed at, else {@code enforce} (GuardConfig's default).
     */
    public List<String> modeIs(String expected) {
        var env = nn(guardContainer().getEnv()).stream().filter(e -> MODE_ENV.equals(e.getName())).toList();
        if (env.size() > 1) {
            return List.of(MODE_ENV + " is set " + env.size() + " times");
        }
        var mode = env.isEmpty() ? appConfig().getProperty("upstream-guard.mode", "enforce") : env.get(0).getValue();
        return expected.equals(mode) ? List.of() : List.of("mode is " + mode + ", expected " + expected);
    }

    // --- the app's config files -------------------------------------------------------------------------------

    /**
     * Every file {@link #CONFIG_LOCATIONS_ENV} names is a key of a ConfigMap mounted in the guard container, and every
     * {@code upstream-guard.*} key in it is one GuardConfig declares: the app refuses to start on any other.
     */
    public List<String> appConfigFiles() {
        var p = new ArrayList<String>();
        var known = guardConfigKeys();
        for (var location : configLocations()) {
            var text = configFile(location);
            if (text.isEmpty()) {
                p.add(CONFIG_LOCATIONS_ENV + " names " + location + ", which no mounted ConfigMap key provides");
                continue;
            }
            for (var key : properties(text.get()).stringPropertyNames()) {
                var bare = key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key;
                if (bare.startsWith("upstream-guard.") && known.stream().noneMatch(k -> k.endsWith(".")
                        ? bare.startsWith(k) && bare.length() > k.length() : bare.equals(k))) {
                    p.add(location + " sets " + key + ", which GuardConfig does not declare: the app would not start");
                }
            }
        }
        return p;
    }

    /** The config files the app reads at runtime, merged in order (a later file wins, as with Quarkus's ordinals). */
    public Properties appConfig() {
        var merged = new Properties();
        for (var location : configLocations()) {
            configFile(location).ifPresent(text -> merged.putAll(properties(text)));
        }
        return merged;
    }

    private List<String> configLocations() {
        return nn(guardContainer().getEnv()).stream().filter(e -> CONFIG_LOCATIONS_ENV.equals(e.getName()))
                .filter(e -> e.getValue() != null).flatMap(e -> Stream.of(e.getValue().split(",")))
                .map(String::trim).filter(l -> !l.isEmpty()).map(l -> l.replaceFirst("^file:", "")).toList();
    }

    /** The content of a file in the guard container, when a mounted ConfigMap key provides it. */
    private Optional<String> configFile(String path) {
        for (var mount : nn(guardContainer().getVolumeMounts())) {
            var dir = mount.getMountPath().replaceAll("/+$", "");
            String key;
            if (mount.getSubPath() != null && !mount.getSubPath().isEmpty()) {
                if (!path.equals(dir)) {
                    continue;
                }
                key = mount.getSubPath();
            } else if (path.startsWith(dir + "/")) {
                key = path.substring(dir.length() + 1);
            } else {
                continue;
            }
            var volume = nn(podSpec().getVolumes()).stream().filter(v -> v.getName().equals(mount.getName()))
                    .findFirst().filter(v -> v.getConfigMap() != null);
            if (volume.isEmpty()) {
                continue;
            }
            var source = volume.get().getConfigMap();
            for (var item : nn(source.getItems())) {
                if (key.equals(item.getPath())) {
                    key = item.getKey();
                }
            }
            var dataKey = key;
            return find(ConfigMap.class, deployment().getMetadata().getNamespace(), source.getName())
                    .map(cm -> nn(cm.getData()).get(dataKey));
        }
        return Optional.empty();
    }

    private static Properties properties(String text) {
        var props = new Properties();
        try {
            props.load(new StringReader(text));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return props;
    }

    /**
     * The keys GuardConfig declares, the SmallRye way (camelCase to kebab-case, nested groups joined by dots); a key
     * ending in "." stands for a map: any key below it.
     */
    public static Set<String> guardConfigKeys() {
        var prefix = GuardConfig.class.getAnnotation(io.smallrye.config.ConfigMapping.class).prefix();
        var keys = new TreeSet<String>();
        collectKeys(GuardConfig.class, prefix + ".", keys);
        return keys;
    }

    /** The keys GuardConfig declares with a {@code @WithDefault}, and that default as written there. */
    public static Map<String, String> guardConfigDefaults() {
        var prefix = GuardConfig.class.getAnnotation(io.smallrye.config.ConfigMapping.class).prefix();
        var defaults = new TreeMap<String, String>();
        collectDefaults(GuardConfig.class, prefix + ".", defaults);
        return defaults;
    }

    private static void collectDefaults(Class<?> group, String prefix, Map<String, String> defaults) {
        for (Method m : group.getMethods()) {
            if (!Modifier.isAbstract(m.getModifiers()) || m.getParameterCount() > 0) {
                continue;
            }
            var key = prefix + m.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
            var type = m.getReturnType();
            if (type.isInterface() && type.getEnclosingClass() == GuardConfig.class) {
                collectDefaults(type, key + ".", defaults);
            } else if (m.isAnnotationPresent(io.smallrye.config.WithDefault.class)) {
                defaults.put(key, m.getAnnotation(io.smallrye.config.WithDefault.class).value());
            }
        }
    }

    private static void collectKeys(Class<?> group, String prefix, Set<String> keys) {
        for (Method m : group.getMethods()) {
            if (!Modifier.isAbstract(m.getModifiers()) || m.getParameterCount() > 0) {
                continue;
            }
            var key = prefix + m.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
            var type = m.getReturnType();
            if (Map.class.isAssignableFrom(type)) {
                keys.add(key + ".");
            } else if (type.isInterface() && type.getEnclosingClass() == GuardConfig.class) {
                collectKeys(type, key + ".", keys);
            } else {
                keys.add(key);
            }
        }
    }

    /**
     * The webhook asks cert-manager's cainjector for its caBundle from a Certificate that exists, writes the Secret the
     * pods mount, and covers the four DNS names the API server may use for the Service.
     */
    public List<String> certManagerInjection() {
        var p = new ArrayList<String>();
        var config = webhookConfiguration();
        var from = nn(config.getMetadata().getAnnotations()).get(INJECT_CA_FROM);
        if (from == null || !from.contains("/")) {
            return List.of("ValidatingWebhookConfiguration has no " + INJECT_CA_FROM + ": <namespace>/<certificate>");
        }
        var ns = from.substring(0, from.indexOf('/'));
        var name = from.substring(from.indexOf('/') + 1);
        var cert = objects.stream().filter(GenericKubernetesResource.class::isInstance)
                .map(GenericKubernetesResource.class::cast)
                .filter(o -> "Certificate".equals(o.getKind()) && o.getApiVersion().startsWith("cert-manager.io/"))
                .filter(o -> name.equals(o.getMetadata().getName()) && ns.equals(o.getMetadata().getNamespace()))
                .findFirst();
        if (cert.isEmpty()) {
            return List.of(INJECT_CA_FROM + " names Certificate " + from + ", which is not installed");
        }
        var spec = cert.get().getAdditionalProperties().get("spec") instanceof Map<?, ?> m ? m : Map.of();
        var secret = spec.get("secretName");
        if (!Objects.equals(secret, tlsSecretName().orElse(null))) {
            p.add("Certificate " + from + " writes Secret " + secret + " but the pods mount "
                    + tlsSecretName().orElse("none"));
        }
        var ref = webhook().getClientConfig().getService();
        var svc = ref.getName() + "." + ref.getNamespace();
        var wanted = List.of(ref.getName(), svc, svc + ".svc", svc + ".svc.cluster.local");
        var dnsNames = spec.get("dnsNames") instanceof List<?> l ? l : List.of();
        for (var dns : wanted) {
            if (!dnsNames.contains(dns)) {
                p.add("Certificate " + from + " lacks dnsName " + dns + " (has " + dnsNames + ")");
            }
        }
        return p;
    }

    // --- lookups ----------------------------------------------------------------------------------------------

    public ValidatingWebhookConfiguration webhookConfiguration() {
        return only(ValidatingWebhookConfiguration.class);
    }

    public ValidatingWebhook webhook() {
        var webhooks = nn(webhookConfiguration().getWebhooks());
        if (webhooks.size() != 1) {
            throw new AssertionError("expected exactly one webhook in the configuration, found " + webhooks.size());
        }
        return webhooks.get(0);
    }

    public Deployment deployment() {
        return only(Deployment.class);
    }

    private PodSpec podSpec() {
        return deployment().getSpec().getTemplate().getSpec();
    }

    private Map<String, String> podLabels() {
        return nn(deployment().getSpec().getTemplate().getMetadata().getLabels());
    }

    private List<Container> allContainers() {
        var all = new ArrayList<>(nn(podSpec().getContainers()));
        all.addAll(nn(podSpec().getInitContainers()));
        return all;
    }

    /** The container that declares the HTTPS port (the only one, today). */
    private Container guardContainer() {
        return nn(podSpec().getContainers()).stream()
                .filter(c -> nn(c.getPorts()).stream().anyMatch(cp -> cp.getContainerPort() == HTTPS_PORT))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no container of the Deployment declares port " + HTTPS_PORT));
    }

    private static Optional<Integer> containerPort(Container c, IntOrString port) {
        if (port == null) {
            return Optional.empty();
        }
        if (port.getIntVal() != null) {
            return Optional.of(port.getIntVal());
        }
        return nn(c.getPorts()).stream().filter(cp -> port.getStrVal().equals(cp.getName()))
                .map(cp -> cp.getContainerPort()).findFirst();
    }

    private <T extends HasMetadata> T only(Class<T> type) {
        var found = objects.stream().filter(type::isInstance).map(type::cast).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected exactly one " + type.getSimpleName() + ", found " + found.size());
        }
        return found.get(0);
    }

    private <T extends HasMetadata> Optional<T> find(Class<T> type, String namespace, String name) {
        return objects.stream().filter(type::isInstance).map(type::cast)
                .filter(o -> name.equals(o.getMetadata().getName()))
                .filter(o -> namespace == null || namespace.equals(o.getMetadata().getNamespace())).findFirst();
    }

    private static Map<String, String> nsLabels(String name) {
        var labels = new TreeMap<String, String>();
        labels.put("kubernetes.io/metadata.name", name);
        return labels;
    }

    /** Kubernetes label-selector semantics: null or empty selects everything. */
    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return true;
        }
        for (var e : nn(selector.getMatchLabels()).entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        for (var r : nn(selector.getMatchExpressions())) {
            var value = labels.get(r.getKey());
            var values = nn(r.getValues());
            boolean ok = switch (r.getOperator()) {
                case "In" -> value != null && values.contains(value);
                case "NotIn" -> value == null || !values.contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> throw new AssertionError("unknown selector operator " + r.getOperator());
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static void expect(List<String> p, String what, Object expected, Object actual) {
        if (!Objects.equals(expected, actual)) {
            p.add(what + " is " + actual + ", expected " + expected);
        }
    }

    private static <T> List<T> nn(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static <K, V> Map<K, V> nn(Map<K, V> map) {
        return map == null ? Map.of() : map;
    }
}
