package dev.upstreamguard.bench;

import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.informers.impl.cache.CacheImpl;

/**
 * A sketch, for the memory figure only: an informer item store that keeps each object's key and resourceVersion and
 * nothing else (ReducedStateItemStore also keeps a fresh copy of the namespace and the name of every object). What it
 * gives back is a bare object of no kind with namespace, name and resourceVersion, all a relist and a delete need.
 */
final class KeyVersionStore<V extends HasMetadata> implements ItemStore<V> {
    private final ConcurrentHashMap<String, String> versions = new ConcurrentHashMap<>();

    @Override
    public String getKey(V obj) {
        return CacheImpl.metaNamespaceKeyFunc(obj);
    }

    @Override
    public V put(String key, V obj) {
        var version = obj.getMetadata().getResourceVersion();
        return restore(key, versions.put(key, version == null ? "" : version));
    }

    @Override
    public V remove(String key) {
        return restore(key, versions.remove(key));
    }

    @Override
    public Stream<String> keySet() {
        return versions.keySet().stream();
    }

    @Override
    public Stream<V> values() {
        return versions.entrySet().stream().map(e -> restore(e.getKey(), e.getValue()));
    }

    @Override
    public int size() {
        return versions.size();
    }

    @Override
    public V get(String key) {
        return restore(key, versions.get(key));
    }

    @Override
    public boolean isFullState() {
        return false;
    }

    @SuppressWarnings("unchecked")
    private V restore(String key, String version) {
        if (version == null) {
            return null;
        }
        int slash = key.indexOf('/');
        var meta = new ObjectMeta();
        meta.setNamespace(slash < 0 ? null : key.substring(0, slash));
        meta.setName(key.substring(slash + 1));
        meta.setResourceVersion(version);
        var o = new io.fabric8.kubernetes.api.model.GenericKubernetesResource();
        o.setMetadata(meta);
        return (V) o;
    }
}
