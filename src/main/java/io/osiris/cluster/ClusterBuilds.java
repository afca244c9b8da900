package io.osiris.cluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.ContainerResource;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.fabric8.openshift.api.model.Build;
import io.fabric8.openshift.client.OpenShiftClient;
import io.osiris.records.BuildInfo;
import io.osiris.records.BuildRef;
import io.osiris.records.Phase;
import io.osiris.buildlog.LazyInputStream;
import io.osiris.error.ErrorKind;
import io.osiris.error.OsirisException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.camel.Exchange;

/**
 * Reads the builds of one registered cluster and their logs, with that cluster's fabric8 client. Logs are streams: a pod's containers are read one after another (init containers first), each introduced by a
 * delimiter line, and nothing is buffered beyond the client's own buffers.
 */
public class ClusterBuilds {

    static final String FOLLOWED_LOG = "followedLog";

    private final KubernetesClient client;
    private final WatchTarget target;
    private final Duration followEndGrace;

    public ClusterBuilds(KubernetesClient client, WatchTarget target, Duration followEndGrace) {
        this.client = client;
        this.target = target;
        this.followEndGrace = followEndGrace;
    }

    public String name() {
        return target.cluster();
    }

    WatchTarget target() {
        return target;
    }

    KubernetesClient client() {
        return client;
    }

    public ClusterBuild of(HasMetadata resource) {
        return resource instanceof Build build ? of(build) : of((Pod) resource);
    }

    ClusterBuild of(Build build) {
        var status = build.getStatus();
        BuildInfo info = new BuildInfo(build.getMetadata().getUid(),
                status == null ? null : Phase.parse(status.getPhase()).orElse(null),
                status == null ? null : time(status.getStartTimestamp()),
                status == null ? null : time(status.getCompletionTimestamp()),
                build.getMetadata().getLabels(),
                status == null ? null : status.getMessage());
        return new ClusterBuild(ref(build, build.getMetadata().getName()), info, null, List.of());
    }

    ClusterBuild of(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        Phase mapped = phase == null ? null : switch (phase) {
            case "Pending" -> Phase.Pending;
            case "Running" -> Phase.Running;
            case "Succeeded" -> Phase.Complete;
            case "Failed" -> Phase.Failed;
            default -> Phase.Error;
        };
        String name = pod.getMetadata().getLabels() == null ? null
                : pod.getMetadata().getLabels().get(target.podNameLabel());
        BuildInfo info = new BuildInfo(pod.getMetadata().getUid(), mapped,
                pod.getStatus() == null ? null : time(pod.getStatus().getStartTime()),
                null, pod.getMetadata().getLabels(), null);
        List<String> containers = new ArrayList<>();
        if (pod.getSpec() != null) {
            pod.getSpec().getInitContainers().stream().map(Container::getName).forEach(containers::add);
            pod.getSpec().getContainers().stream().map(Container::getName).forEach(containers::add);
        }
        return new ClusterBuild(ref(pod, name != null ? name : pod.getMetadata().getName()), info,
                pod.getMetadata().getName(), containers);
    }

    /** Every build of the watched namespaces, as the cluster lists it now. */
    public List<ClusterBuild> all() {
        List<ClusterBuild> found = new ArrayList<>();
        for (String namespace : namespaces()) {
            if (target.source() == ClusterProperties.Source.builds) {
                List<Build> items = namespace == null ? openShift().builds().inAnyNamespace().list().getItems()
                        : openShift().builds().inNamespace(namespace).list().getItems();
                items.forEach(b -> found.add(of(b)));
            } else {
                pods(namespace).list().getItems().forEach(p -> found.add(of(p)));
            }
        }
        return found;
    }

    /** The ended builds, for the reconciliation. */
    public List<ClusterBuild> ended() {
        return all().stream().filter(ClusterBuild::isEnded).toList();
    }

    /** One build by namespace and name, for an explicit fetch (legacy mode=cluster, v1 fetch). */
    public ClusterBuild find(BuildRef ref) {
        if (target.source() == ClusterProperties.Source.builds) {
            Build build = openShift().builds().inNamespace(ref.namespace()).withName(ref.name()).get();
            if (build != null) {
                return of(build);
            }
        } else {
            Optional<Pod> pod = client.pods().inNamespace(ref.namespace())
                    .withLabel(target.podNameLabel(), ref.name()).list().getItems().stream().findFirst();
            Pod found = pod.orElseGet(() -> client.pods().inNamespace(ref.namespace()).withName(ref.name()).get());
            if (found != null) {
                return of(found);
            }
        }
        throw OsirisException.notFound("build " + ref + " is not in the cluster");
    }

    /**
     * The build's log: followed while it runs ({@code follow}), else fetched as it is now. A followed log is also
     * left in the exchange property {@code followedLog}, which tells after the store whether the follow was whole.
     */
    public InputStream open(ClusterBuild build, boolean follow, Exchange exchange) {
        if (!follow) {
            return fetch(build);
        }
        FollowedLog log = new FollowedLog(follow(build), () -> endsWithin(build.ref(), followEndGrace));
        exchange.setProperty(FOLLOWED_LOG, log);
        return log;
    }

    /**
     * Whether the build is ended, or ends within {@code grace}: the cluster marks a build ended a moment after its
     * log stream ends. A build no longer in the cluster counts as ended; one that cannot be read now does not.
     */
    boolean endsWithin(BuildRef ref, Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        try {
            while (!find(ref).isEnded()) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(250);
            }
            return true;
        } catch (OsirisException e) {
            return e.kind() == ErrorKind.NOT_FOUND;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The log as it is now (the API's {@code /log} of the build, or of each container of its pod). */
    public InputStream fetch(ClusterBuild build) {
        String namespaces = "namespaces/" + build.ref().namespace();
        if (!build.fromPod()) {
            return log("apis/build.openshift.io/v1/" + namespaces + "/builds/" + build.ref().name() + "/log");
        }
        return containers(build, container -> log("api/v1/" + namespaces + "/pods/" + build.podName()
                + "/log?container=" + container));
    }

    private InputStream log(String path) {
        String master = client.getMasterUrl().toString();
        int timeout = client.getConfiguration().getRequestTimeout();
        return LogResponse.open(client.getHttpClient(), (master.endsWith("/") ? master : master + "/") + path,
                timeout > 0 ? timeout : Long.MAX_VALUE);
    }

    /** The log followed while it grows; ends when the build's containers end. */
    public InputStream follow(ClusterBuild build) {
        if (!build.fromPod()) {
            return openShift().builds().inNamespace(build.ref().namespace()).withName(build.ref().name())
                    .watchLog().getOutput();
        }
        return containers(build, container -> container(build, container).watchLog().getOutput());
    }

    private InputStream containers(ClusterBuild build, Function<String, InputStream> open) {
        Iterator<String> names = build.containers().iterator();
        Enumeration<InputStream> parts = new Enumeration<>() {
            private int index;
            private final List<InputStream> pending = new ArrayList<>();

            @Override
            public boolean hasMoreElements() {
                return !pending.isEmpty() || names.hasNext();
            }

            @Override
            public InputStream nextElement() {
                if (!pending.isEmpty()) {
                    return pending.remove(0);
                }
                String name = names.next();
                String delimiter = (index++ == 0 ? "" : "\n") + "==> container " + name + " <==\n";
                pending.add(new LazyInputStream(() -> open.apply(name)));
                return new ByteArrayInputStream(delimiter.getBytes(StandardCharsets.UTF_8));
            }
        };
        return new SequenceInputStream(parts);
    }

    private ContainerResource container(ClusterBuild build, String container) {
        return client.pods().inNamespace(build.ref().namespace()).withName(build.podName()).inContainer(container);
    }

    /** Build pods of a namespace (null: all namespaces), chosen by {@code osiris.cluster.pod-selector}. */
    FilterWatchListDeletable<Pod, PodList, PodResource> pods(String namespace) {
        var pods = namespace == null ? client.pods().inAnyNamespace() : client.pods().inNamespace(namespace);
        String selector = target.podSelector();
        int eq = selector.indexOf('=');
        return eq < 0 ? pods.withLabel(selector) : pods.withLabel(selector.substring(0, eq), selector.substring(eq + 1));
    }

    /** null stands for all namespaces. */
    List<String> namespaces() {
        return target.allNamespaces() ? Collections.singletonList(null) : target.namespaces();
    }

    OpenShiftClient openShift() {
        return client.adapt(OpenShiftClient.class);
    }

    private BuildRef ref(HasMetadata resource, String name) {
        return new BuildRef(target.cluster(), resource.getMetadata().getNamespace(), name,
                resource.getMetadata().getUid());
    }

    private static Instant time(String text) {
        return text == null || text.isEmpty() ? null : Instant.parse(text);
    }
}
