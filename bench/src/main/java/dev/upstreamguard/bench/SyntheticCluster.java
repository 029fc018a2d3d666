package dev.upstreamguard.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateRunning;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassBuilder;

/**
 * A cluster shaped like a real one, for a given number of pods: ~10 pods per Deployment; each Deployment with the
 * ReplicaSets the default {@code revisionHistoryLimit} (10) keeps, the current one (10 replicas, the pods owned through
 * {@code ownerReferences}) and ten old ones scaled to 0, each with the whole pod template, as the API server holds
 * them; one Service per Deployment with one EndpointSlice (one endpoint per ready pod, as the EndpointSlice controller
 * writes it); one Ingress per three Services; spread over 50–1000 namespaces (pods / 100, clamped).
 * Pod count is exact for multiples of 1,000. Names are deterministic, so the reviews of
 * {@link ReviewBodies} always hit objects that exist: namespace {@code team-0000}, Deployments {@code app-00..}.
 * The Deployment {@code team-0000/app-00} is the "big" one (three containers, many env vars and annotations): the
 * ~20 KB Deployment UPDATE is a change to it.
 *
 * <p>The reviewed namespace holds {@link #REVIEW_NS_DEPLOYMENTS} Deployments (and Services) at every size, or, in the
 * "wide" shape ({@link #wide}), {@link #WIDE_NS_SERVICES}: one namespace of 5,000 Services.
 */
public final class SyntheticCluster {
    public static final int PODS_PER_DEPLOYMENT = 10;
    public static final String REVIEW_NS = "team-0000";
    public static final int REVIEW_NS_DEPLOYMENTS = 10;
    /** Deployments (and Services) of the reviewed namespace in the wide shape. */
    public static final int WIDE_NS_SERVICES = 5_000;
    /** Old ReplicaSets kept per Deployment: the default {@code spec.revisionHistoryLimit}. */
    public static final int OLD_REPLICA_SETS = 10;

    private final int pods;
    private final int reviewNsDeployments;
    private final boolean sharedSelectorPair;

    public SyntheticCluster(int pods) {
        this(pods, REVIEW_NS_DEPLOYMENTS, false);
    }

    /**
     * @param reviewNsDeployments Deployments and Services in the reviewed namespace {@code team-0000}
     * @param sharedSelectorPair  every Service's selector also holds {@code app.kubernetes.io/part-of: shop}, a pair
     *                            all pods carry (kustomize's {@code commonLabels} puts its labels in every selector)
     */
    public SyntheticCluster(int pods, int reviewNsDeployments, boolean sharedSelectorPair) {
        this.pods = pods;
        this.reviewNsDeployments = reviewNsDeployments;
        this.sharedSelectorPair = sharedSelectorPair;
    }

    /**
     * A named shape: {@code spread} (the reviewed namespace holds 10 Deployments), {@code wide} (it holds 5,000
     * Deployments and Services), {@code wide-shared} (as wide, every selector also holds a pair all pods carry).
     */
    public static SyntheticCluster of(String shape, int pods) {
        return switch (shape) {
            case "spread" -> new SyntheticCluster(pods);
            case "wide" -> new SyntheticCluster(pods, WIDE_NS_SERVICES, false);
            case "wide-shared" -> new SyntheticCluster(pods, WIDE_NS_SERVICES, true);
            default -> throw new IllegalArgumentException("no shape " + shape + " (spread, wide, wide-shared)");
        };
    }

    public int pods() {
        return pods;
    }

    public int deployments() {
        return Math.max(1, pods / PODS_PER_DEPLOYMENT);
    }

    public int namespaces() {
        return Math.max(50, Math.min(1000, pods / 100));
    }

    public static String ns(int n) {
        return String.format("team-%04d", n);
    }

    public static String app(int i) {
        return String.format("app-%02d", i);
    }

    /**
     * Deployments of namespace n. The reviewed namespace {@code team-0000} holds {@link #REVIEW_NS_DEPLOYMENTS} at
     * every size (what a busy team namespace holds in the 100k cluster), so the figures compare cluster size alone;
     * the rest is spread evenly over the other namespaces.
     */
    public int deploymentsIn(int n) {
        int d = Math.max(0, deployments() - reviewNsDeployments), nss = namespaces() - 1;
        if (n == 0) {
            return reviewNsDeployments;
        }
        int m = n - 1;
        return Math.max(0, d / nss + (m < d % nss ? 1 : 0));
    }

    /**
     * Every object, in the order an informer list would see them (namespaces first); ~{@code pods} pods. Per
     * Deployment: the Deployment, its ReplicaSets (current first), the Service, the pods, the EndpointSlice.
     *
     * @param fullPods pods as the API server sends them (managedFields, env, resources, status); else lean ones
     *                 (what the guard reads), for manifests small enough to load 100k pods from
     */
    public void forEach(boolean fullPods, Consumer<HasMetadata> sink) {
        sink.accept(ingressClass());
        sink.accept(gatewayNamespace());
        for (int n = 0; n < namespaces(); n++) {
            sink.accept(namespace(n));
        }
        sink.accept(gateway());
        for (int n = 0; n < namespaces(); n++) {
            var ns = ns(n);
            int count = deploymentsIn(n);
            var services = new ArrayList<String>();
            for (int i = 0; i < count; i++) {
                boolean big = n == 0 && i == 0;
                var d = deployment(ns, i, big);
                sink.accept(d);
                var rs = replicaSet(d, "7c9f8d6b5" + (i % 10), PODS_PER_DEPLOYMENT, OLD_REPLICA_SETS + 1);
                sink.accept(rs);
                for (int r = 0; r < OLD_REPLICA_SETS; r++) {
                    sink.accept(replicaSet(d, oldHash(i, r), 0, r + 1));
                }
                var service = service(ns, app(i));
                if (sharedSelectorPair) {
                    service.getSpec().getSelector().put("app.kubernetes.io/part-of", "shop");
                }
                sink.accept(service);
                services.add(app(i));
                var pods = new ArrayList<Pod>(PODS_PER_DEPLOYMENT);
                for (int p = 0; p < PODS_PER_DEPLOYMENT; p++) {
                    var pod = pod(rs, ns, app(i), p, fullPods);
                    pods.add(pod);
                    sink.accept(pod);
                }
                sink.accept(endpointSlice(service, pods));
            }
            for (int k = 0; k < services.size(); k += 3) {
                sink.accept(ingress(ns, "web-" + (k / 3), services.subList(k, Math.min(services.size(), k + 3))));
            }
            if (!services.isEmpty()) {
                sink.accept(httpRoute(ns, "web", services.subList(0, Math.min(services.size(), 3))));
            }
        }
    }

    /** The pod-template-hash of the r-th old ReplicaSet of Deployment i. */
    private static String oldHash(int i, int r) {
        return suffix(i * 131 + r * 7919) + "d" + (r % 10) + "f" + (i % 10);
    }

    public List<HasMetadata> all(boolean fullPods) {
        var out = new ArrayList<HasMetadata>();
        forEach(fullPods, out::add);
        return out;
    }

    // ---- objects ------------------------------------------------------------------------------------------------

    static IngressClass ingressClass() {
        return new IngressClassBuilder().withNewMetadata().withName("nginx")
                .addToAnnotations("ingressclass.kubernetes.io/is-default-class", "true").endMetadata()
                .withNewSpec().withController("k8s.io/ingress-nginx").endSpec().build();
    }

    static Namespace namespace(int n) {
        return new NamespaceBuilder().withNewMetadata().withName(ns(n)).withUid(uid("ns", n, 0, 0))
                .addToLabels("kubernetes.io/metadata.name", ns(n)).addToLabels("team", "team-" + n)
                .addToLabels(GATEWAY_ACCESS, "true").endMetadata().withNewStatus().withPhase("Active").endStatus().build();
    }

    /** The namespace of the cluster's shared Gateway. */
    public static final String GATEWAY_NS = "gateway-infra";
    /** The namespace label the Gateway's listener admits routes by (allowedRoutes.namespaces.from: Selector). */
    static final String GATEWAY_ACCESS = "gateway.example.com/public";

    static Namespace gatewayNamespace() {
        return new NamespaceBuilder().withNewMetadata().withName(GATEWAY_NS).withUid(uid("ns", GATEWAY_NS, 0, 0))
                .addToLabels("kubernetes.io/metadata.name", GATEWAY_NS).endMetadata()
                .withNewStatus().withPhase("Active").endStatus().build();
    }

    /** The Gateway every namespace's HTTPRoute attaches to: an HTTPS listener for *.example.com, namespaces by label. */
    static Gateway gateway() {
        return new GatewayBuilder().withNewMetadata().withName("public").withNamespace(GATEWAY_NS)
                .withUid(uid(GATEWAY_NS, "gw-public", 0, 4)).withResourceVersion("4000").endMetadata()
                .withNewSpec().withGatewayClassName("envoy")
                .addNewListener().withName("https").withProtocol("HTTPS").withPort(443).withHostname("*.example.com")
                .withNewAllowedRoutes().withNewNamespaces().withFrom("Selector").withNewSelector()
                .addToMatchLabels(GATEWAY_ACCESS, "true").endSelector().endNamespaces().endAllowedRoutes()
                .endListener().endSpec().build();
    }

    /** An HTTPRoute on the shared Gateway's listener: one rule per Service, {@code /<service>} to its port 80. */
    public static HTTPRoute httpRoute(String ns, String name, List<String> services) {
        var rules = new ArrayList<HTTPRouteRule>();
        for (var s : services) {
            rules.add(httpRouteRule(s));
        }
        return new HTTPRouteBuilder().withNewMetadata().withName(name).withNamespace(ns)
                .withUid(uid(ns, "route-" + name, 0, 5)).withResourceVersion("5000").endMetadata()
                .withNewSpec().addNewParentRef().withGroup("gateway.networking.k8s.io").withKind("Gateway")
                .withNamespace(GATEWAY_NS).withName("public").withSectionName("https").endParentRef()
                .withHostnames(name + "." + ns + ".example.com").withRules(rules).endSpec().build();
    }

    static HTTPRouteRule httpRouteRule(String service) {
        return new HTTPRouteRuleBuilder().withName(service).addNewMatch().withNewPath().withType("PathPrefix")
                .withValue("/" + service).endPath().endMatch().addNewBackendRef().withName(service).withPort(80)
                .withWeight(1).endBackendRef().build();
    }

    static Map<String, String> appLabels(String app) {
        var m = new LinkedHashMap<String, String>();
        m.put("app", app);
        m.put("app.kubernetes.io/name", app);
        m.put("app.kubernetes.io/part-of", "shop");
        return m;
    }

    private static final Map<String, Deployment> DEPLOYMENTS = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The Deployment; {@code big} adds the weight of a real enterprise one (3 containers, ~40 env vars each). The
     * spec is built once per name and shape and shared between namespaces (read-only here); the metadata is fresh.
     */
    public static Deployment deployment(String ns, int i, boolean big) {
        if (big) {
            return buildDeployment(ns, i, true);
        }
        var proto = DEPLOYMENTS.computeIfAbsent(app(i), k -> buildDeployment("proto", i, false));
        var d = new Deployment();
        d.setApiVersion("apps/v1");
        d.setKind("Deployment");
        var meta = new ObjectMeta();
        var pm = proto.getMetadata();
        meta.setName(pm.getName());
        meta.setNamespace(ns);
        meta.setUid(uid(ns, "deploy", i, 0));
        meta.setResourceVersion(pm.getResourceVersion());
        meta.setGeneration(pm.getGeneration());
        meta.setCreationTimestamp(pm.getCreationTimestamp());
        meta.setLabels(new LinkedHashMap<>(pm.getLabels()));
        meta.setAnnotations(new LinkedHashMap<>(pm.getAnnotations()));
        d.setMetadata(meta);
        d.setSpec(proto.getSpec());
        d.setStatus(proto.getStatus());
        return d;
    }

    static Deployment buildDeployment(String ns, int i, boolean big) {
        var app = app(i);
        var labels = appLabels(app);
        var meta = new ObjectMetaBuilder().withName(app).withNamespace(ns).withUid(uid(ns, "deploy", i, 0))
                .withResourceVersion("100" + i).withGeneration(7L).withCreationTimestamp("2025-01-01T00:00:00Z")
                .withLabels(labels).addToAnnotations("deployment.kubernetes.io/revision", "7");
        if (big) {
            for (int a = 0; a < 15; a++) {
                meta.addToAnnotations("example.com/annotation-" + a, "value of annotation number " + a
                        + " which carries some configuration hint for tooling");
            }
            meta.addToAnnotations("kubectl.kubernetes.io/last-applied-configuration",
                    "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"" + app
                            + "\",\"namespace\":\"" + ns + "\"},\"spec\":{\"replicas\":10}}");
            meta.withManagedFields(managedFields("kubectl-client-side-apply", 12), managedFields("kube-controller-manager", 4));
        }
        var containers = new ArrayList<Container>();
        containers.add(container("app", "registry.example.com/shop/" + app + ":1.4.2", big ? 40 : 6, true));
        if (big) {
            containers.add(container("envoy", "envoyproxy/envoy:v1.31.2", 25, false));
            containers.add(container("log-shipper", "fluent/fluent-bit:3.1.9", 20, false));
        }
        return new DeploymentBuilder().withMetadata(meta.build()).withNewSpec().withReplicas(PODS_PER_DEPLOYMENT)
                .withRevisionHistoryLimit(OLD_REPLICA_SETS).withProgressDeadlineSeconds(600)
                .withNewSelector().withMatchLabels(Map.of("app", app)).endSelector()
                .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                .withMaxUnavailable(new IntOrString("25%")).withMaxSurge(new IntOrString("25%")).endRollingUpdate()
                .endStrategy()
                .withNewTemplate().withNewMetadata().withLabels(labels)
                .addToAnnotations("prometheus.io/scrape", "true").endMetadata()
                .withSpec(podSpec(containers)).endTemplate().endSpec()
                .withNewStatus().withReplicas(PODS_PER_DEPLOYMENT).withReadyReplicas(PODS_PER_DEPLOYMENT)
                .withObservedGeneration(7L).endStatus().build();
    }

    static PodSpec podSpec(List<Container> containers) {
        return new PodSpecBuilder().withContainers(containers).withServiceAccountName("default")
                .withTerminationGracePeriodSeconds(30L).withDnsPolicy("ClusterFirst").withRestartPolicy("Always")
                .withSchedulerName("default-scheduler").build();
    }

    static Container container(String name, String image, int envVars, boolean serving) {
        var env = new ArrayList<EnvVar>();
        for (int e = 0; e < envVars; e++) {
            env.add(new EnvVar("SETTING_" + name.toUpperCase().replace('-', '_') + "_" + e,
                    "some-configuration-value-" + e + "-for-" + name, null));
        }
        var b = new ContainerBuilder().withName(name).withImage(image).withImagePullPolicy("IfNotPresent").withEnv(env)
                .withNewResources().addToRequests("cpu", new Quantity("100m")).addToRequests("memory", new Quantity("128Mi"))
                .addToLimits("memory", new Quantity("256Mi")).endResources()
                .withTerminationMessagePath("/dev/termination-log").withTerminationMessagePolicy("File");
        if (serving) {
            b.addNewPort().withName("http").withContainerPort(8080).withProtocol("TCP").endPort()
                    .addNewPort().withName("metrics").withContainerPort(9090).withProtocol("TCP").endPort()
                    .withReadinessProbe(httpProbe("/ready", "http", 5))
                    .withLivenessProbe(httpProbe("/live", "http", 10));
        } else {
            b.addNewPort().withName(name.substring(0, Math.min(10, name.length())) + "-adm")
                    .withContainerPort(15000 + name.length()).withProtocol("TCP").endPort();
        }
        return b.build();
    }

    static Probe httpProbe(String path, String port, int period) {
        return new ProbeBuilder().withNewHttpGet().withPath(path).withPort(new IntOrString(port)).withScheme("HTTP")
                .endHttpGet().withPeriodSeconds(period).withFailureThreshold(3).withTimeoutSeconds(1)
                .withSuccessThreshold(1).build();
    }

    /**
     * A ReplicaSet of the Deployment as the API server holds it: the whole pod template (with its pod-template-hash),
     * the revision annotations, status and the controller's managedFields.
     */
    static ReplicaSet replicaSet(Deployment d, String hash, int replicas, int revision) {
        var app = d.getMetadata().getName();
        var ns = d.getMetadata().getNamespace();
        var labels = new LinkedHashMap<>(appLabels(app));
        labels.put("pod-template-hash", hash);
        var meta = new ObjectMeta();
        meta.setName(app + "-" + hash);
        meta.setNamespace(ns);
        meta.setUid(uid(ns, "rs-" + hash, app.hashCode(), 0));
        meta.setResourceVersion(String.valueOf(5000 + revision));
        meta.setGeneration((long) revision);
        meta.setCreationTimestamp("2025-01-01T00:00:00Z");
        meta.setLabels(labels);
        var annotations = new LinkedHashMap<String, String>();
        annotations.put("deployment.kubernetes.io/desired-replicas", String.valueOf(PODS_PER_DEPLOYMENT));
        annotations.put("deployment.kubernetes.io/max-replicas", String.valueOf(PODS_PER_DEPLOYMENT + 3));
        annotations.put("deployment.kubernetes.io/revision", String.valueOf(revision));
        meta.setAnnotations(annotations);
        meta.setOwnerReferences(List.of(owner("apps/v1", "Deployment", app, d.getMetadata().getUid())));
        meta.setManagedFields(List.of(managedFields("kube-controller-manager", 6)));
        var selector = new io.fabric8.kubernetes.api.model.LabelSelector();
        selector.setMatchLabels(Map.of("app", app, "pod-template-hash", hash));
        var tmplMeta = new ObjectMeta();
        tmplMeta.setLabels(labels);
        tmplMeta.setAnnotations(d.getSpec().getTemplate().getMetadata().getAnnotations());
        var template = new io.fabric8.kubernetes.api.model.PodTemplateSpec(tmplMeta, d.getSpec().getTemplate().getSpec());
        var spec = new io.fabric8.kubernetes.api.model.apps.ReplicaSetSpec();
        spec.setReplicas(replicas);
        spec.setSelector(selector);
        spec.setTemplate(template);
        var status = new io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus();
        status.setReplicas(replicas);
        status.setObservedGeneration((long) revision);
        if (replicas > 0) {
            status.setFullyLabeledReplicas(replicas);
            status.setReadyReplicas(replicas);
            status.setAvailableReplicas(replicas);
        }
        var rs = new ReplicaSet();
        rs.setApiVersion("apps/v1");
        rs.setKind("ReplicaSet");
        rs.setMetadata(meta);
        rs.setSpec(spec);
        rs.setStatus(status);
        return rs;
    }

    /**
     * The Service's EndpointSlice as the EndpointSlice controller writes it: one endpoint per ready pod (address,
     * conditions, node, the pod as targetRef), the Service's ports by targetPort, owned by the Service.
     */
    static EndpointSlice endpointSlice(Service service, List<Pod> pods) {
        var svc = service.getMetadata();
        var meta = new ObjectMeta();
        meta.setName(svc.getName() + "-" + suffix(svc.getName().hashCode()));
        meta.setGenerateName(svc.getName() + "-");
        meta.setNamespace(svc.getNamespace());
        meta.setUid(uid(svc.getNamespace(), "eps-" + svc.getName(), 0, 4));
        meta.setResourceVersion("6000");
        meta.setGeneration(3L);
        meta.setCreationTimestamp("2025-01-02T03:04:05Z");
        var labels = new LinkedHashMap<>(svc.getLabels());
        labels.put("endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io");
        labels.put("kubernetes.io/service-name", svc.getName());
        meta.setLabels(labels);
        meta.setAnnotations(new LinkedHashMap<>(Map.of("endpoints.kubernetes.io/last-change-trigger-time",
                "2025-01-02T03:04:20Z")));
        meta.setOwnerReferences(List.of(owner("v1", "Service", svc.getName(), svc.getUid())));
        meta.setManagedFields(List.of(managedFields("endpointslice-controller.k8s.io", 4)));
        var endpoints = new ArrayList<Endpoint>(pods.size());
        for (var pod : pods) {
            var e = new Endpoint();
            e.setAddresses(List.of(pod.getStatus().getPodIP()));
            e.setConditions(new EndpointConditions(true, true, false));
            e.setNodeName(pod.getSpec().getNodeName());
            var ref = new ObjectReference();
            ref.setKind("Pod");
            ref.setNamespace(pod.getMetadata().getNamespace());
            ref.setName(pod.getMetadata().getName());
            ref.setUid(pod.getMetadata().getUid());
            e.setTargetRef(ref);
            e.setZone("zone-" + (Math.abs(pod.getMetadata().getName().hashCode()) % 3));
            endpoints.add(e);
        }
        var ports = new ArrayList<EndpointPort>();
        for (var p : service.getSpec().getPorts()) {
            var port = new EndpointPort();
            port.setName(p.getName());
            port.setPort(8080);
            port.setProtocol(p.getProtocol());
            ports.add(port);
        }
        var slice = new EndpointSlice();
        slice.setApiVersion("discovery.k8s.io/v1");
        slice.setKind("EndpointSlice");
        slice.setMetadata(meta);
        slice.setAddressType("IPv4");
        slice.setEndpoints(endpoints);
        slice.setPorts(ports);
        return slice;
    }

    static OwnerReference owner(String apiVersion, String kind, String name, String uid) {
        return new OwnerReferenceBuilder().withApiVersion(apiVersion).withKind(kind).withName(name).withUid(uid)
                .withController(true).withBlockOwnerDeletion(true).build();
    }

    /**
     * A live pod of the ReplicaSet. {@code full}: what the API server really sends (2 containers with env,
     * resources, probes; status with conditions and containerStatuses; managedFields); else only what the guard
     * reads, for a smaller manifest. Built with setters, not builders: fabric8's builders cost ~100 µs per pod.
     */
    public static Pod pod(ReplicaSet rs, String ns, String app, int p, boolean full) {
        var rsName = rs.getMetadata().getName();
        var name = rsName + "-" + suffix(app.hashCode() * 31 + p);
        var meta = new ObjectMeta();
        meta.setName(name);
        meta.setNamespace(ns);
        meta.setUid(uid(ns, name, p, 1));
        meta.setGenerateName(rsName + "-");
        meta.setResourceVersion(String.valueOf(40000 + p));
        meta.setCreationTimestamp("2025-01-02T03:04:05Z");
        meta.setLabels(new LinkedHashMap<>(rs.getMetadata().getLabels()));
        meta.setOwnerReferences(List.of(owner("apps/v1", "ReplicaSet", rsName, rs.getMetadata().getUid())));
        if (full) {
            meta.setAnnotations(new LinkedHashMap<>(Map.of("prometheus.io/scrape", "true", "kubernetes.io/psp", "restricted")));
            meta.setManagedFields(List.of(managedFields("kube-controller-manager", 3), managedFields("kubelet", 4)));
        }
        var pod = new Pod();
        pod.setApiVersion("v1");
        pod.setKind("Pod");
        pod.setMetadata(meta);
        pod.setSpec(podSpecOf(app, full, "node-" + (p % 50)));
        var status = new PodStatus();
        status.setPhase("Running");
        status.setHostIP("10.0.0." + (p % 250));
        status.setPodIP("10.244." + (p % 250) + "." + (app.length() + p) % 250);
        status.setStartTime("2025-01-02T03:04:06Z");
        status.setQosClass("Burstable");
        var conditions = new ArrayList<PodCondition>();
        conditions.add(condition("Ready", "2025-01-02T03:04:20Z"));
        if (full) {
            conditions.add(condition("Initialized", "2025-01-02T03:04:06Z"));
            conditions.add(condition("ContainersReady", "2025-01-02T03:04:20Z"));
            conditions.add(condition("PodScheduled", "2025-01-02T03:04:05Z"));
            var statuses = new ArrayList<ContainerStatus>();
            for (var c : pod.getSpec().getContainers()) {
                var cs = new ContainerStatus();
                cs.setName(c.getName());
                cs.setImage(c.getImage());
                cs.setImageID("docker-pullable://" + c.getImage() + "@sha256:" + "ab12".repeat(16));
                cs.setContainerID("containerd://" + "cd34".repeat(16));
                cs.setReady(true);
                cs.setStarted(true);
                cs.setRestartCount(0);
                var running = new ContainerStateRunning("2025-01-02T03:04:10Z");
                cs.setState(new ContainerState(running, null, null));
                statuses.add(cs);
            }
            status.setContainerStatuses(statuses);
        }
        status.setConditions(conditions);
        pod.setStatus(status);
        return pod;
    }

    private static final Map<String, PodSpec> POD_SPECS = new java.util.concurrent.ConcurrentHashMap<>();

    /** Pod specs are built once per app and shape and shared (then copied with a node name): builders are slow. */
    private static PodSpec podSpecOf(String app, boolean full, String node) {
        var shared = POD_SPECS.computeIfAbsent(app + "/" + full, k -> {
            var containers = new ArrayList<Container>();
            containers.add(container("app", "registry.example.com/shop/" + app + ":1.4.2", full ? 6 : 0, true));
            containers.add(container("envoy", "envoyproxy/envoy:v1.31.2", full ? 4 : 0, false));
            return podSpec(containers);
        });
        var spec = new PodSpec();
        spec.setContainers(shared.getContainers());
        spec.setServiceAccountName(shared.getServiceAccountName());
        spec.setTerminationGracePeriodSeconds(shared.getTerminationGracePeriodSeconds());
        spec.setDnsPolicy(shared.getDnsPolicy());
        spec.setRestartPolicy(shared.getRestartPolicy());
        spec.setSchedulerName(shared.getSchedulerName());
        spec.setNodeName(node);
        return spec;
    }

    private static PodCondition condition(String type, String time) {
        var c = new PodCondition();
        c.setType(type);
        c.setStatus("True");
        c.setLastTransitionTime(time);
        return c;
    }

    static ManagedFieldsEntry managedFields(String manager, int fields) {
        var f = new LinkedHashMap<String, Object>();
        var spec = new LinkedHashMap<String, Object>();
        for (int i = 0; i < fields; i++) {
            spec.put("f:field" + i, Map.of("f:sub", Map.of(), "f:other", Map.of(".", Map.of())));
        }
        f.put("f:metadata", Map.of("f:labels", Map.of("f:app", Map.of()), "f:ownerReferences", Map.of()));
        f.put("f:spec", spec);
        var fv = new FieldsV1();
        fv.setAdditionalProperties(f);
        return new ManagedFieldsEntryBuilder().withManager(manager).withOperation("Update").withApiVersion("v1")
                .withTime("2025-01-02T03:04:05Z").withFieldsType("FieldsV1").withFieldsV1(fv).build();
    }

    public static Service service(String ns, String app) {
        return new ServiceBuilder().withNewMetadata().withName(app).withNamespace(ns).withUid(uid(ns, "svc-" + app, 0, 2))
                .withResourceVersion("2000").withLabels(appLabels(app)).endMetadata()
                .withNewSpec().withType("ClusterIP").withClusterIP("10.96." + (Math.abs(app.hashCode()) % 250) + ".10")
                .withSelector(Map.of("app", app))
                .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString("http")).withProtocol("TCP").endPort()
                .endSpec().build();
    }

    public static Ingress ingress(String ns, String name, List<String> services) {
        var paths = new ArrayList<HTTPIngressPath>();
        for (var s : services) {
            paths.add(new HTTPIngressPathBuilder().withPath("/" + s).withPathType("Prefix").withNewBackend()
                    .withNewService().withName(s).withNewPort().withName("http").endPort().endService().endBackend().build());
        }
        return new IngressBuilder().withNewMetadata().withName(name).withNamespace(ns).withUid(uid(ns, "ing-" + name, 0, 3))
                .withResourceVersion("3000")
                .addToAnnotations("nginx.ingress.kubernetes.io/proxy-read-timeout", "120").endMetadata()
                .withNewSpec().withIngressClassName("nginx").addNewRule().withHost(name + "." + ns + ".example.com")
                .withNewHttp().withPaths(paths).endHttp().endRule().endSpec().build();
    }

    static String uid(String ns, String what, int i, int j) {
        long h = ((long) (ns + "/" + what).hashCode() << 32) ^ (i * 2654435761L) ^ j;
        var hex = String.format("%016x%016x", h, Long.rotateLeft(h * 0x9E3779B97F4A7C15L, 17));
        return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20, 32);
    }

    static String uid(String ns, int i, int j, int k) {
        return uid(ns, "x" + i, j, k);
    }

    private static String suffix(int seed) {
        var chars = "bcdfghjklmnpqrstvwxz2456789";
        var sb = new StringBuilder();
        int x = seed;
        for (int i = 0; i < 5; i++) {
            x = x * 1103515245 + 12345;
            sb.append(chars.charAt(Math.floorMod(x >>> 8, chars.length())));
        }
        return sb.toString();
    }

    static ObjectMeta copyMeta(ObjectMeta m) {
        return new ObjectMetaBuilder(m).build();
    }
}
