package io.osiris.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.openshift.api.model.BuildBuilder;
import io.fabric8.openshift.client.OpenShiftClient;
import io.opentelemetry.proto.trace.v1.Span;
import io.osiris.OsirisApplication;
import io.osiris.support.Await;
import io.grpc.ManagedChannel;
import io.osiris.grpc.v1.BuildInfo;
import io.osiris.grpc.v1.OsirisGrpc;
import io.osiris.grpc.v1.PutBuildRequest;
import io.osiris.support.ClusterMock;
import io.osiris.support.DevCertificates;
import io.osiris.support.GrpcCalls;
import io.osiris.support.GrpcClients;
import io.osiris.support.LogStreams;
import io.osiris.support.OsirisClient;
import io.osiris.support.OtlpReceiver;
import io.osiris.support.TestS3Server;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One trace follows a log to its S3 upload, exported over OTLP/HTTP to a receiver on this machine: from a REST
 * request (joining the caller's trace when it sends a W3C traceparent), a gRPC upload, and a watch event through the
 * log fetch from the cluster.
 */
class TracingTest {

    @TempDir
    Path data;

    private OtlpReceiver receiver;
    private TestS3Server s3;
    private ClusterMock cluster;
    private NamespacedKubernetesClient kube;
    private ConfigurableApplicationContext osiris;
    private OsirisClient client;
    private final int grpcPort = DevCertificates.freePort();

    @BeforeEach
    void start() throws Exception {
        receiver = new OtlpReceiver();
        s3 = new TestS3Server(data.resolve("s3")).start();
        cluster = new ClusterMock().start();
        kube = cluster.client();
        kube.pods().inNamespace("osiris").resource(new PodBuilder().withNewMetadata().withName("traced")
                .withNamespace("osiris").endMetadata().withNewSpec().addNewContainer().withName("osiris")
                .endContainer().endSpec().withNewStatus().withPhase("Running").addNewCondition().withType("Ready")
                .withStatus("True").endCondition().endStatus().build()).create();
        osiris = new SpringApplicationBuilder(OsirisApplication.class)
                .initializers(c -> c.getBeanFactory().registerSingleton("kubernetesConfig", kube.getConfiguration()))
                .run("--server.port=0",
                        "--osiris.storage.endpoint=" + s3.endpoint(),
                        "--osiris.storage.access-key=" + TestS3Server.ACCESS_KEY,
                        "--osiris.storage.secret-key=" + TestS3Server.SECRET_KEY,
                        "--osiris.spool.directory=" + data.resolve("spool"),
                        "--osiris.cluster.enabled=true",
                        "--osiris.cluster.namespaces=ci",
                        "--osiris.cluster.follow-logs=false",
                        "--osiris.cluster.lease-namespace=osiris",
                        "--osiris.cluster.pod-name=traced",
                        "--osiris.cluster.lease-duration=3s",
                        "--osiris.grpc.enabled=true",
                        "--osiris.grpc.host=127.0.0.1",
                        "--osiris.grpc.port=" + grpcPort,
                        "--osiris.grpc.tls.cert-chain=" + DevCertificates.TRUSTED.resolve("server.crt"),
                        "--osiris.grpc.tls.private-key=" + DevCertificates.TRUSTED.resolve("server.key"),
                        "--osiris.grpc.tls.client-ca=" + DevCertificates.TRUSTED.resolve("ca.crt"),
                        "--otel.exporter.otlp.endpoint=" + receiver.endpoint(),
                        "--otel.exporter.otlp.protocol=http/protobuf",
                        "--otel.bsp.schedule.delay=100");
        client = new OsirisClient(((WebServerApplicationContext) osiris).getWebServer().getPort());
    }

    @AfterEach
    void stop() throws Exception {
        osiris.close();
        kube.close();
        cluster.close();
        s3.close();
        receiver.close();
    }

    @Test
    void aRestUploadIsOneTraceFromTheRequestToS3InTheCallersTrace() throws Exception {
        assertThat(client.putJson("/api/v1/namespaces/traced/builds/b1", "{\"phase\":\"Complete\"}").statusCode())
                .isIn(200, 201);
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String callerSpan = "00f067aa0ba902b7";
        HttpRequest upload = HttpRequest.newBuilder(client.uri("/api/v1/namespaces/traced/builds/b1/log"))
                .header("Content-Type", "text/plain")
                .header("traceparent", "00-" + traceId + "-" + callerSpan + "-01")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(LogStreams.buildLog(50_000, 1).readAllBytes())).build();
        assertThat(client.send(upload).statusCode()).isEqualTo(201);

        List<Span> chain = chainToUpload(traceId);

        assertThat(names(chain)).containsSubsequence("log-store-put", "log-archive-upload", "log-archive-store",
                "putBuildLog", "PUT");
        Span root = chain.get(chain.size() - 1);
        assertThat(hex(root.getParentSpanId())).isEqualTo(callerSpan);
        assertThat(root.getAttributesList()).anyMatch(a -> a.getKey().equals("http.status_code")
                && a.getValue().getStringValue().equals("201"));
        assertThat(receiver.serviceNames()).contains("osiris");
    }

    @Test
    void aGrpcUploadIsOneTraceFromTheCallToS3() throws Exception {
        ManagedChannel channel = GrpcClients.channel(grpcPort, DevCertificates.TRUSTED, DevCertificates.TRUSTED);
        try {
            OsirisGrpc.newBlockingStub(channel).putBuild(PutBuildRequest.newBuilder()
                    .setBuild(GrpcCalls.ref("traced", "g1")).setInfo(BuildInfo.newBuilder().setPhase("Complete")).build());
            GrpcCalls.putLog(channel, GrpcCalls.ref("traced", "g1"), LogStreams.buildLog(200_000, 3));
        } finally {
            channel.shutdownNow();
        }

        List<Span> chain = chainToUpload(null);

        assertThat(names(chain)).containsSubsequence("log-store-put", "log-archive-upload", "log-archive-store",
                "grpc-putLog");
        assertThat(chain).extracting(s -> hex(s.getTraceId())).containsOnly(hex(chain.get(0).getTraceId()));
    }

    @Test
    void aWatchEventIsOneTraceThroughTheLogFetchToS3() throws Exception {
        cluster.buildLog("ci", "watched", "from the cluster\n");
        kube.adapt(OpenShiftClient.class).builds().inNamespace("ci").resource(new BuildBuilder().withNewMetadata()
                .withName("watched").withNamespace("ci").withUid(UUID.randomUUID().toString()).endMetadata()
                .withNewStatus().withPhase("Complete").endStatus().build()).create();

        List<Span> chain = chainToUpload(null);

        assertThat(names(chain)).containsSubsequence("log-store-put", "log-archive-upload", "log-archive-store",
                "cluster-log-capture", "build-event");
        // the event came through one of the lanes (seda:build-events-N) from the watch
        assertThat(names(chain)).anyMatch(name -> name.matches("build-events-[0-3]"));
        assertThat(chain).extracting(s -> hex(s.getTraceId())).containsOnly(hex(chain.get(0).getTraceId()));
    }

    /**
     * The upload span (of the given trace, if any) and its ancestors up to the trace's root, as exported; fails if a
     * parent link is missing.
     */
    private List<Span> chainToUpload(String traceId) throws InterruptedException {
        return Await.value(Duration.ofSeconds(30), () -> {
            List<Span> spans = receiver.spans();
            Map<String, Span> byId = spans.stream()
                    .collect(Collectors.toMap(s -> hex(s.getSpanId()), Function.identity(), (a, b) -> a));
            for (Span upload : spans) {
                if (!upload.getName().equals("log-store-put")
                        || (traceId != null && !hex(upload.getTraceId()).equals(traceId))) {
                    continue;
                }
                List<Span> chain = new ArrayList<>(List.of(upload));
                Span at = upload;
                while (byId.containsKey(hex(at.getParentSpanId()))) {
                    at = byId.get(hex(at.getParentSpanId()));
                    chain.add(at);
                }
                boolean reachedRoot = at.getParentSpanId().isEmpty()
                        || (traceId != null && !byId.containsKey(hex(at.getParentSpanId())) && chain.size() > 4);
                if (reachedRoot) {
                    return chain;
                }
            }
            return null;
        });
    }

    private static List<String> names(List<Span> chain) {
        return chain.stream().map(Span::getName).toList();
    }

    private static String hex(ByteString bytes) {
        return HexFormat.of().formatHex(bytes.toByteArray());
    }
}
