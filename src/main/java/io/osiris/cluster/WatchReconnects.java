package io.osiris.cluster;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts reconnects of the informers' watches. fabric8 reconnects a broken watch by itself and tells nobody, so
 * this client interceptor counts every watch request for a resource path after its first one.
 */
class WatchReconnects implements Interceptor {

    private final Set<String> watched = ConcurrentHashMap.newKeySet();
    private final WatcherMetrics metrics;
    private final String cluster;

    WatchReconnects(WatcherMetrics metrics, String cluster) {
        this.metrics = metrics;
        this.cluster = cluster;
    }

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        String query = request.uri().getRawQuery();
        if (query != null && query.contains("watch=true") && !watched.add(request.uri().getPath())) {
            metrics.reconnect(cluster, resource(request.uri().getPath()));
        }
    }

    /** The resource kind of a watch path: the last segment (builds, pods). */
    private static String resource(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
