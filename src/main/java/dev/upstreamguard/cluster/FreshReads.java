package dev.upstreamguard.cluster;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Reads, fresh from the API server, what a would-be denial rests on. The one place the request path may call the API
 * server, and only on the deny path: the caches lag the API server (a watch event arrives tens to hundreds of
 * milliseconds after the write, and Helm sends its next request within a millisecond), so a denial whose evidence is
 * another object's absence or shape is re-judged on a fresh read before it is given.
 */
public interface FreshReads {

    /**
     * Everything in one namespace that a denial can rest on: every Service, route object (Ingress, and where served
     * HTTPRoute and GRPCRoute), Gateway, ReferenceGrant and workload (Deployment, StatefulSet, DaemonSet, ReplicaSet,
     * ReplicationController), and the live pods that match any of the
     * {@code selectors} or the selector of any of the named {@code services} as read now.
     *
     * @param timeout the whole read must finish within it
     * @throws Exception when the API server cannot answer in time: the denial is then not confirmed
     */
    List<HasMetadata> namespace(String namespace, Set<String> services, Collection<Map<String, String>> selectors,
                                Duration timeout) throws Exception;
}
