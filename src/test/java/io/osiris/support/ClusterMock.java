package io.osiris.support;

import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fabric8 Kubernetes mock server in CRUD mode, plus the log subresources it cannot serve itself: build logs and
 * pod container logs registered by the test (404 for unknown ones), with {@code follow=true} served apart so a
 * test can give a follower more than a late fetch gets. It can be stopped and started again on the same port with
 * the same objects, which closes every watch.
 */
public final class ClusterMock implements AutoCloseable {

    private static final Pattern BUILD_LOG =
            Pattern.compile("/apis/build\\.openshift\\.io/v1/namespaces/([^/]+)/builds/([^/?]+)/log(\\?.*)?");
    private static final Pattern POD_LOG = Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/?]+)/log(\\?.*)?");
    private static final Pattern CONTAINER = Pattern.compile("[?&]container=([^&]+)");

    private final Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    private final Dispatcher crud = new KubernetesMixedDispatcher(responses);
    private final Map<String, byte[]> logs = new ConcurrentHashMap<>();
    private final Map<String, byte[]> followedLogs = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> logRequests = new ConcurrentHashMap<>();
    private final Dispatcher dispatcher = new Dispatcher() {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
            String path = request.getPath();
            if (failing != null && failing.test(request)) {
                return new MockResponse().setResponseCode(failCode)
                        .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"code\":" + failCode + "}");
            }
            Matcher build = BUILD_LOG.matcher(path);
            Matcher pod = POD_LOG.matcher(path);
            if (build.matches()) {
                return log("build/" + build.group(1) + "/" + build.group(2), path);
            }
            if (pod.matches()) {
                Matcher container = CONTAINER.matcher(path);
                return log("pod/" + pod.group(1) + "/" + pod.group(2) + "/" + (container.find() ? container.group(1) : ""),
                        path);
            }
            return crud.dispatch(request);
        }
    };
    private volatile java.util.function.Predicate<RecordedRequest> failing;
    private volatile int failCode;
    private KubernetesMockServer server;
    private int port;

    public ClusterMock start() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses, dispatcher, false);
        server.init(InetAddress.getLoopbackAddress(), port);
        port = server.getPort();
        return this;
    }

    /** Answers {@code code} to the requests that {@code requests} matches, until called again with null. */
    public void fail(java.util.function.Predicate<RecordedRequest> requests, int code) {
        this.failCode = code;
        this.failing = requests;
    }

    public int port() {
        return port;
    }

    public void stop() {
        server.destroy();
    }

    public NamespacedKubernetesClient client() {
        return server.createClient();
    }

    public void buildLog(String namespace, String build, String log) {
        logs.put("build/" + namespace + "/" + build, log.getBytes());
    }

    public void podLog(String namespace, String pod, String container, String log) {
        logs.put("pod/" + namespace + "/" + pod + "/" + container, log.getBytes());
    }

    /** What a follower of this build's log receives, when it differs from a late fetch (log rotation). */
    public void followedBuildLog(String namespace, String build, byte[] log) {
        followedLogs.put("build/" + namespace + "/" + build, log);
    }

    public void buildLog(String namespace, String build, byte[] log) {
        logs.put("build/" + namespace + "/" + build, log);
    }

    /** How often a log was asked for (fetches and follows). */
    public int logRequests(String namespace, String build) {
        AtomicInteger n = logRequests.get("build/" + namespace + "/" + build);
        return n == null ? 0 : n.get();
    }

    private MockResponse log(String key, String path) {
        logRequests.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        byte[] body = path.contains("follow=true") && followedLogs.containsKey(key) ? followedLogs.get(key)
                : logs.get(key);

        if (body == null) {
            return new MockResponse().setResponseCode(404)
                    .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":404}");
        }
        return new MockResponse().setResponseCode(200).setHeader("Content-Type", "text/plain").setBody(body);
    }

    @Override
    public void close() {
        stop();
    }
}
