package io.osiris.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.openshift.api.model.BuildBuilder;
import io.fabric8.openshift.client.OpenShiftClient;
import io.grpc.ManagedChannel;
import io.osiris.grpc.v1.BuildInfo;
import io.osiris.grpc.v1.OsirisGrpc;
import io.osiris.grpc.v1.PutBuildRequest;
import io.osiris.support.DevCertificates;
import io.osiris.support.GrpcCalls;
import io.osiris.support.GrpcClients;
import io.osiris.support.LogStreams;
import io.osiris.support.OsirisClient;
import io.osiris.support.OsirisProcess;
import io.osiris.support.PackagedApp;
import io.osiris.support.PrometheusScrape;
import io.osiris.support.TestS3Server;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3BaseClientBuilder;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Osiris' throughput, memory, small-build rate, latency and start-up, against the storage's own limits measured in
 * the same run (parallel multipart and single-stream uploads of the same file). Each storage gets a fresh Osiris
 * process with {@code -Xmx256m}, launched as the image launches it. Run with bench/run.sh; {@code --quick} is a short
 * smoke run.
 */
public final class Benchmarks {

    private static final long MiB = 1024 * 1024;
    private final boolean quick;
    private boolean operationsOnly;
    /** Throughput, memory and start-up only (the speed figures), without request rates and latency. */
    private boolean speedOnly;
    /** Only the Ceph RGW (when it is set up), not s3proxy. */
    private boolean cephOnly;
    private boolean recordsOnly;
    /** The memory rows only: a 1 GiB log in a fresh process per door, 20 concurrent logs. */
    private boolean memoryOnly;
    /** The start-up rows only: ready and idle RSS per launch. */
    private boolean startupOnly;
    /** Redaction's cost and the search's scan rate only. */
    private boolean contentOnly;
    /** The build database of the Osiris started last (PostgreSQL when OSIRIS_TEST_POSTGRES_URL is set). */
    private BenchDatabase database;
    private boolean million;
    private boolean skipReindex;
    private final Path work;
    private final List<String> table = new ArrayList<>();
    private final ObjectMapper json = new ObjectMapper();

    private Benchmarks(boolean quick) throws Exception {
        this.quick = quick;
        this.work = ScratchDirectory.create("osiris-bench");
    }

    public static void main(String[] args) throws Exception {
        Benchmarks bench = new Benchmarks(List.of(args).contains("--quick"));
        bench.operationsOnly = List.of(args).contains("--operations");
        bench.speedOnly = List.of(args).contains("--speed");
        bench.cephOnly = List.of(args).contains("--ceph-only");
        bench.recordsOnly = List.of(args).contains("--records");
        bench.memoryOnly = List.of(args).contains("--memory");
        bench.startupOnly = List.of(args).contains("--startup");
        bench.contentOnly = List.of(args).contains("--content");
        bench.million = List.of(args).contains("--million");
        bench.skipReindex = List.of(args).contains("--no-reindex");
        bench.run();
        System.exit(0);
    }

    private record Storage(String name, URI endpoint, String accessKey, String secretKey) {
    }

    private void run() throws Exception {
        List<Storage> storages = new ArrayList<>();
        try (TestS3Server s3proxy = new TestS3Server(work.resolve("s3proxy")).start();
             RemoteCluster cluster = new RemoteCluster(work)) {
            if (!cephOnly || System.getenv("OSIRIS_CEPH_ENDPOINT") == null) {
                storages.add(new Storage("s3proxy", s3proxy.endpoint(), TestS3Server.ACCESS_KEY,
                        TestS3Server.SECRET_KEY));
            }
            if (System.getenv("OSIRIS_CEPH_ENDPOINT") != null) {
                storages.add(new Storage("ceph-rgw", URI.create(System.getenv("OSIRIS_CEPH_ENDPOINT")),
                        System.getenv("OSIRIS_CEPH_ACCESS_KEY"), System.getenv("OSIRIS_CEPH_SECRET_KEY")));
            }
            try (NamespacedKubernetesClient kube = cluster.client()) {
                kube.pods().inNamespace("osiris").resource(new PodBuilder().withNewMetadata().withName("bench")
                        .withNamespace("osiris").endMetadata().withNewSpec().addNewContainer().withName("osiris")
                        .endContainer().endSpec().withNewStatus().withPhase("Running").addNewCondition()
                        .withType("Ready").withStatus("True").endCondition().addNewContainerStatus().withName("osiris")
                        .withReady(true).withNewState().withNewRunning().endRunning().endState().endContainerStatus()
                        .endStatus().build()).create();
                if (recordsOnly) {
                    records(storages);
                    return;
                }
                if (contentOnly) {
                    row("| log content | storage | size | result | notes |");
                    row("|---|---|---|---|---|");
                    content();
                    for (Storage storage : storages) {
                        content(storage, cluster);
                    }
                    return;
                }
                boolean transferRows = !operationsOnly && !startupOnly;
                if (transferRows) {
                    row("| what | storage | size | MiB/s | ratio to parallel multipart | ratio to single stream | notes |");
                    row("|---|---|---|---|---|---|---|");
                }
                if (memoryOnly) {
                    for (Storage storage : storages) {
                        memory(storage, cluster, kube, "mem-" + storage.name());
                    }
                    return;
                }
                for (Storage storage : transferRows ? storages : List.<Storage>of()) {
                    throughput(storage, cluster, kube);
                }
                row("| start-up (embedded default) | launch | runs | to ready | idle RSS | target | notes |");
                row("|---|---|---|---|---|---|---|");
                startup();
                if (!speedOnly && !startupOnly) {
                    row("| builds/s, latency, start-up | storage | load | result | target | notes |");
                    row("|---|---|---|---|---|---|");
                    for (Storage storage : storages) {
                        operations(storage, cluster, kube);
                    }
                }
            }
        }
        System.out.println();
        System.out.println("Osiris benchmarks (" + (quick ? "quick smoke run" : "full run") + "), "
                + Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version"));
        table.forEach(System.out::println);
    }

    /**
     * Lists, filters and legacy pages over 10,000 (and with --million 1,000,000) records, answered by the database
     * alone; reindex of 10,000 records from each storage.
     */
    private void records(List<Storage> storages) throws Exception {
        row("| records | database, storage | scale | result | target | notes |");
        row("|---|---|---|---|---|---|");
        RecordsBench bench = null;
        for (Storage storage : storages) {
            bench = new RecordsBench(work, this::row, storage.name(), Map.of(
                    "OSIRIS_S3_ENDPOINT", storage.endpoint().toString(),
                    "OSIRIS_S3_ACCESS_KEY", storage.accessKey(),
                    "OSIRIS_S3_SECRET_KEY", storage.secretKey()), s3(storage));
            if (!skipReindex) {
                bench.reindex(quick ? 1_000 : 10_000);
            }
        }
        bench.queries(quick ? 1_000 : 10_000);
        if (million) {
            bench.queries(1_000_000);
        }
    }

    private void throughput(Storage storage, RemoteCluster cluster, NamespacedKubernetesClient kube) throws Exception {
        long[] sizes = quick ? new long[] {MiB, 20 * MiB} : new long[] {MiB, 100 * MiB, 1024 * MiB};
        S3Client baseline = s3(storage);
        String bucket = "bench-baseline-" + System.nanoTime();
        baseline.createBucket(b -> b.bucket(bucket));
        String ns = "bench-" + storage.name();
        try (S3AsyncClient multipart = multipartS3(storage);
             OsirisProcess osiris = start(storage, cluster, ns)) {
            ManagedChannel channel = GrpcClients.channel(grpcPort, DevCertificates.TRUSTED, DevCertificates.TRUSTED);
            OsirisGrpc.OsirisBlockingStub stub = OsirisGrpc.newBlockingStub(channel);
            // warm up every path (connections, JIT) so that small sizes measure transfer, not first use
            Path warm = logFile(MiB);
            baseline.putObject(b -> b.bucket(bucket).key("warm-up"), RequestBody.fromFile(warm));
            multipart.putObject(b -> b.bucket(bucket).key("warm-up"), AsyncRequestBody.fromFile(warm)).join();
            push(osiris, ns, "warm-up", warm);
            grpcPush(channel, stub, ns, "warm-up", warm);
            for (long size : sizes) {
                Path file = logFile(size);
                // small logs are timed over several in a row, one after the other, so that one request's latency
                // does not make the figure; large ones once
                int times = size < 10 * MiB ? 20 : 1;
                double single = mibPerSecond(times * size, () -> {
                    for (int i = 0; i < times; i++) {
                        String key = "single-" + size + "-" + i;
                        baseline.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(file));
                    }
                });
                double parallel = parallelBaseline(times, size, () -> {
                    for (int i = 0; i < times; i++) {
                        String key = "parallel-" + size + "-" + i;
                        multipart.putObject(b -> b.bucket(bucket).key(key), AsyncRequestBody.fromFile(file)).join();
                    }
                });
                double cli = size < 10 * MiB ? Double.NaN : awsCli(storage, bucket, file);
                emptyBucket(baseline, bucket); // a Ceph on memstore holds every byte in memory
                // a large log is pushed twice and the second figure counts: the first pays for the JIT compiling the
                // path at this size (the service in production is warm); the notes give the first too
                int rounds = size >= 512 * MiB ? 2 : 1;
                double[] pushes = timedRounds(rounds, times, size, "push-" + size,
                        build -> push(osiris, ns, build, file));
                double push = pushes[rounds - 1];
                // the process' peak RSS so far after each path, so that the path that raises it is visible
                String peakAfterPush = osiris.peakRss();
                double[] grpcs = timedRounds(rounds, times, size, "grpc-" + size,
                        build -> grpcPush(channel, stub, ns, build, file));
                double grpc = grpcs[rounds - 1];
                String peakAfterGrpc = osiris.peakRss();
                String name = "pull-" + size;
                double served = 0;
                for (int i = 0; i < times; i++) {
                    cluster.buildLog(ns, name + "-" + i, file);
                    cluster.serve(ns, name + "-" + i); // the first read brings the file into the page cache
                    served = Math.max(served, cluster.serve(ns, name + "-" + i));
                }
                double pull = mibPerSecond(times * size, () -> {
                    for (int i = 0; i < times; i++) {
                        completeBuild(kube, ns, name + "-" + i);
                        awaitLog(osiris.client, ns, name + "-" + i, size);
                    }
                });
                String peakAfterPull = osiris.peakRss();
                String label = sizeLabel(size);
                String several = times > 1 ? "; " + times + " logs one after another" : "";
                throughputRow("S3 parallel multipart (baseline)", storage, label, parallel, parallel, single,
                        "AWS SDK multipart client, 8 MiB parts, 8 at a time" + several);
                throughputRow("S3 single-stream put", storage, label, single, parallel, single,
                        "AWS SDK, one PUT (parts of 5 GiB)" + several);
                if (!Double.isNaN(cli)) {
                    throughputRow("`aws s3 cp`", storage, label, cli, parallel, single, "AWS CLI defaults, process start "
                            + "included");
                }
                throughputRow("REST push", storage, label, push, parallel, single,
                        "-Xmx256m, gzip 6; PUT info + chunked PUT log; peak RSS so far " + peakAfterPush + several
                                + firstOf(pushes));
                throughputRow("gRPC PutLog (mTLS)", storage, label, grpc, parallel, single,
                        "-Xmx256m, gzip 6; PutBuild + PutLog stream; peak RSS so far " + peakAfterGrpc + several
                                + firstOf(grpcs));
                throughputRow("log server alone (log front, own process)", storage, label, served, parallel,
                        single, "the build log endpoint read by a plain HTTP/1.1 client, after a first read");
                throughputRow("cluster pull (fabric8 mock + log front, own process)", storage, label, pull, parallel, single,
                        "build Complete to stored; peak RSS so far " + peakAfterPull + several);
            }
            variedLog(storage, osiris, channel, stub, baseline, multipart, bucket, ns, sizes[sizes.length - 1]);
            channel.shutdownNow();
            row(String.format("| memory | %s | 1 log of %d MiB (REST, gRPC, pull) | alive: %s | | | peak RSS %s "
                    + "(target < 400 MB) |", storage.name(), sizes[sizes.length - 1] / MiB, osiris.isAlive(),
                    osiris.peakRss()));
        }
        memory(storage, cluster, kube, ns);
    }

    /** The memory cases, each in a fresh process: a 1 GiB log per door, 20 concurrent logs (generated, varied). */
    private void memory(Storage storage, RemoteCluster cluster, NamespacedKubernetesClient kube, String ns)
            throws Exception {
        if (!quick) {
            largeLogAlone(storage, cluster, kube, ns + "-alone", 1024 * MiB);
        }
        try (OsirisProcess osiris = start(storage, cluster, ns + "-many")) {
            concurrentLogs(storage, osiris, ns + "-many", false);
        }
        // the same with logs that compress like real ones: more compression buffers busy at once
        try (OsirisProcess osiris = start(storage, cluster, ns + "-many-varied")) {
            concurrentLogs(storage, osiris, ns + "-many-varied", true);
        }
    }

    /**
     * The largest size once more with a log that compresses like a real one (about 6:1, where the generated log of
     * the other rows compresses over 100:1): there the compression, not the storage, is the work.
     */
    private void variedLog(Storage storage, OsirisProcess osiris, ManagedChannel channel,
                           OsirisGrpc.OsirisBlockingStub stub, S3Client baseline, S3AsyncClient multipart,
                           String bucket, String ns, long size) throws Exception {
        Path file = work.resolve("varied-" + size + ".txt");
        if (!Files.exists(file)) {
            try (InputStream in = LogStreams.variedBuildLog(size, 1)) {
                Files.copy(in, file);
            }
        }
        double single = mibPerSecond(size, () -> baseline.putObject(b -> b.bucket(bucket).key("varied-single"),
                RequestBody.fromFile(file)));
        double parallel = parallelBaseline(1, size, () -> multipart.putObject(b -> b.bucket(bucket)
                .key("varied-parallel"), AsyncRequestBody.fromFile(file)).join());
        emptyBucket(baseline, bucket);
        double push = mibPerSecond(size, () -> push(osiris, ns, "varied-push", file));
        String peakAfterPush = osiris.peakRss();
        double grpc = mibPerSecond(size, () -> grpcPush(channel, stub, ns, "varied-grpc", file));
        String label = sizeLabel(size);
        String ratio = String.format("log compresses %.1f:1", compressionRatio(file));
        throughputRow("S3 parallel multipart (baseline), varied log", storage, label, parallel, parallel, single,
                ratio);
        throughputRow("S3 single-stream put, varied log", storage, label, single, parallel, single, ratio);
        throughputRow("REST push, varied log", storage, label, push, parallel, single,
                "-Xmx256m, gzip 6; " + ratio + "; peak RSS so far " + peakAfterPush);
        throughputRow("gRPC PutLog (mTLS), varied log", storage, label, grpc, parallel, single,
                "-Xmx256m, gzip 6; " + ratio + "; peak RSS so far " + osiris.peakRss());
    }

    /** gzip 6 on the file's first 64 MiB. */
    private static double compressionRatio(Path file) throws java.io.IOException {
        com.google.common.io.CountingOutputStream sink =
                new com.google.common.io.CountingOutputStream(java.io.OutputStream.nullOutputStream());
        long counted;
        try (InputStream in = com.google.common.io.ByteStreams.limit(Files.newInputStream(file), 64 * MiB);
             java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(sink, 65536)) {
            counted = in.transferTo(gzip);
        }
        return (double) counted / sink.getCount();
    }

    private static String sizeLabel(long size) {
        return size >= 1024 * MiB ? (size / 1024 / MiB) + " GiB" : (size / MiB) + " MiB";
    }

    private void throughputRow(String what, Storage storage, String size, double mibPerSecond, double parallel,
                               double single, String notes) {
        row(String.format("| %s | %s | %s | %s | %s | %s | %s |", what, storage.name(), size, figure(mibPerSecond, 0),
                figure(mibPerSecond / parallel, 2), figure(mibPerSecond / single, 2), notes));
    }

    /** A build of the cluster that has just completed: the watcher captures its log. */
    private static void completeBuild(NamespacedKubernetesClient kube, String ns, String name) {
        kube.adapt(OpenShiftClient.class).builds().inNamespace(ns).resource(new BuildBuilder()
                .withNewMetadata().withName(name).withNamespace(ns).withUid(UUID.randomUUID().toString())
                .endMetadata().withNewStatus().withPhase("Complete").endStatus().build()).create();
    }

    /** MiB/s of each of {@code rounds} runs of {@code times} uploads of {@code size}, each upload its own build. */
    private static double[] timedRounds(int rounds, int times, long size, String prefix, Upload upload)
            throws Exception {
        double[] rates = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            String builds = prefix + "-" + round + "-";
            rates[round] = mibPerSecond(times * size, () -> {
                for (int i = 0; i < times; i++) {
                    upload.to(builds + i);
                }
            });
        }
        return rates;
    }

    /** The first of two pushes of the same log, when there were two. */
    private static String firstOf(double[] rounds) {
        return rounds.length < 2 ? "" : String.format("; second push of the log, the first %.0f MiB/s", rounds[0]);
    }

    private static String figure(double value, int decimals) {
        return Double.isNaN(value) ? "n/a" : String.format("%." + decimals + "f", value);
    }

    /**
     * The SDK's multipart upload; NaN when the server refuses it (s3proxy's file-system store loses parallel
     * multipart uploads now and then: NoSuchUpload), so that the run goes on with the single-stream reference.
     */
    private static double parallelBaseline(int times, long size, Step step) {
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                return mibPerSecond(times * size, step);
            } catch (Exception e) {
                System.err.println("parallel multipart baseline failed: " + e);
            }
        }
        return Double.NaN;
    }

    private static void push(OsirisProcess osiris, String ns, String name, Path file) throws Exception {
        String build = "/api/v1/namespaces/" + ns + "/builds/" + name;
        check(osiris.client.putJson(build, "{\"phase\":\"Complete\"}").statusCode() == 200, "info");
        try (InputStream log = Files.newInputStream(file)) {
            int status = osiris.client.putLog(build + "/log", log).statusCode();
            check(status == 201 || status == 200, "push");
        }
    }

    private static void grpcPush(ManagedChannel channel, OsirisGrpc.OsirisBlockingStub stub, String ns, String name,
                                 Path file) throws Exception {
        var ref = GrpcCalls.ref(ns, name);
        stub.putBuild(PutBuildRequest.newBuilder().setBuild(ref).setInfo(BuildInfo.newBuilder().setPhase("Complete"))
                .build());
        try (InputStream log = Files.newInputStream(file)) {
            GrpcCalls.putLog(channel, ref, log);
        }
    }

    /** The same generated build log for every path of one size, on disk, so that no path pays for making it. */
    private Path logFile(long size) throws Exception {
        Path file = work.resolve("log-" + size + ".txt");
        if (!Files.exists(file)) {
            try (InputStream in = LogStreams.buildLog(size, 1)) {
                Files.copy(in, file);
            }
        }
        return file;
    }

    private static void emptyBucket(S3Client s3, String bucket) {
        s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()
                .forEach(object -> s3.deleteObject(b -> b.bucket(bucket).key(object.key())));
    }

    /** {@code aws s3 cp} of the file when the AWS CLI is installed (NaN otherwise). */
    private static double awsCli(Storage storage, String bucket, Path file) throws Exception {
        Path aws = Stream.of(System.getenv("PATH").split(":")).map(dir -> Path.of(dir, "aws"))
                .filter(Files::isExecutable).findFirst().orElse(null);
        if (aws == null) {
            return Double.NaN;
        }
        ProcessBuilder cp = new ProcessBuilder(aws.toString(), "--endpoint-url", storage.endpoint().toString(), "s3",
                "cp", file.toString(), "s3://" + bucket + "/cli-" + System.nanoTime(), "--only-show-errors")
                .redirectErrorStream(true);
        cp.environment().put("AWS_ACCESS_KEY_ID", storage.accessKey());
        cp.environment().put("AWS_SECRET_ACCESS_KEY", storage.secretKey());
        cp.environment().put("AWS_DEFAULT_REGION", "us-east-1");
        long started = System.nanoTime();
        Process process = cp.start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            System.err.println("aws s3 cp failed: " + output);
            return Double.NaN;
        }
        return Files.size(file) / (double) MiB / ((System.nanoTime() - started) / 1e9);
    }

    /**
     * Ready time and idle resident memory of the embedded default, for each step towards the image's launch:
     * the nested jar with default JVM settings, the extracted jar with the image's JVM options, and that plus the
     * class data sharing archive.
     */
    private void startup() throws Exception {
        int runs = quick ? 1 : 3;
        for (PackagedApp.Launch launch : PackagedApp.Launch.values()) {
            List<Double> seconds = new ArrayList<>();
            List<Long> rss = new ArrayList<>();
            for (int run = 0; run < runs; run++) {
                Path data = Files.createDirectories(work.resolve("startup-" + launch + "-" + run));
                try (OsirisProcess osiris = OsirisProcess.start(launch, data, "256m", Map.of(),
                        "--logging.level.root=WARN")) {
                    seconds.add(osiris.startSeconds);
                    Thread.sleep(5000); // idle: what a replica holds between requests
                    rss.add(Long.parseLong(osiris.rss().replace("kB", "").trim()));
                }
            }
            Collections.sort(seconds);
            Collections.sort(rss);
            row(String.format("| start-up | %s | %d | %.1f s (%.1f-%.1f) | %d MB (%d-%d) | < 5 s, < 250 MB | -Xmx256m; "
                            + "median (range) |", launchName(launch), runs, seconds.get(runs / 2), seconds.get(0),
                    seconds.get(runs - 1), rss.get(runs / 2) / 1024, rss.get(0) / 1024, rss.get(runs - 1) / 1024));
        }
    }

    private static String launchName(PackagedApp.Launch launch) {
        return switch (launch) {
            case FAT_JAR -> "`java -jar osiris.jar`, default JVM settings";
            case EXTRACTED -> "extracted jar + openshift/jvm.options";
            case IMAGE -> "as the image: extracted + jvm.options + CDS archive";
        };
    }

    /**
     * One large log through each door, each in a fresh process: the peak of a service that took that one log (the
     * row above is one process through every door and size one after the other, whose peak only grows).
     */
    private void largeLogAlone(Storage storage, RemoteCluster cluster, NamespacedKubernetesClient kube, String ns,
                               long size) throws Exception {
        Path file = logFile(size);
        List<String> peaks = new ArrayList<>();
        for (String door : List.of("REST", "gRPC", "pull")) {
            String space = ns + "-" + door.toLowerCase();
            try (OsirisProcess osiris = start(storage, cluster, space)) {
                if (door.equals("pull")) {
                    // the log front's copy, read once into the page cache, as in the throughput rows: not timed
                    cluster.buildLog(space, "alone", file);
                    cluster.serve(space, "alone");
                }
                double mibPerSecond = mibPerSecond(size, () -> {
                    switch (door) {
                        case "REST" -> push(osiris, space, "alone", file);
                        case "gRPC" -> {
                            ManagedChannel channel = GrpcClients.channel(grpcPort, DevCertificates.TRUSTED,
                                    DevCertificates.TRUSTED);
                            grpcPush(channel, OsirisGrpc.newBlockingStub(channel), space, "alone", file);
                            channel.shutdownNow();
                        }
                        default -> {
                            completeBuild(kube, space, "alone");
                            awaitLog(osiris.client, space, "alone", size);
                        }
                    }
                });
                check(osiris.isAlive(), door + " alone");
                peaks.add(String.format("%s %s (%.0f MiB/s)", door, osiris.peakRss(), mibPerSecond));
            }
        }
        row(String.format("| memory | %s | 1 log of %d MiB, a fresh process per door | alive: true | | | peak RSS %s "
                + "(target < 400 MB; the rate is the fresh process' first log, the pull's from build Complete to "
                + "stored) |", storage.name(), size / MiB, String.join(", ", peaks)));
    }

    private void concurrentLogs(Storage storage, OsirisProcess osiris, String ns, boolean varied) throws Exception {
        int count = 20;
        long size = quick ? 5 * MiB : 50 * MiB;
        ExecutorService pool = Executors.newFixedThreadPool(count);
        long started = System.nanoTime();
        List<Future<Integer>> puts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String build = "/api/v1/namespaces/" + ns + "/builds/many-" + i;
            osiris.client.putJson(build, "{\"phase\":\"Complete\"}");
            int seed = i;
            puts.add(pool.submit(() -> osiris.client.putLog(build + "/log",
                    varied ? LogStreams.variedBuildLog(size, seed) : LogStreams.buildLog(size, seed)).statusCode()));
        }
        int ok = 0;
        for (Future<Integer> put : puts) {
            ok += put.get() == 201 ? 1 : 0;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        pool.shutdown();
        row(String.format("| memory | %s | %d concurrent REST logs of %d MiB%s | %d stored, %.0f MiB/s total, alive: %s "
                        + "| | | peak RSS %s (target < 400 MB) |", storage.name(), count, size / MiB,
                varied ? " (varied, 5.9:1)" : "", ok,
                count * size / MiB / seconds, osiris.isAlive(), osiris.peakRss()));
    }

    private void operations(Storage storage, RemoteCluster cluster, NamespacedKubernetesClient kube) throws Exception {
        try (OsirisProcess osiris = start(storage, cluster, "ops-" + storage.name())) {
            row(String.format("| start-up | %s | to ready | %.1f s, idle RSS %s | | -Xmx256m |", storage.name(),
                    osiris.startSeconds, osiris.rss()));
            int seconds = quick ? 3 : 20;
            byte[] small = LogStreams.buildLog(10 * 1024, 3).readAllBytes();
            // the request limit of the storage on this machine: the SDK alone, small PUTs and GETs
            S3Client sdk = s3(storage);
            String bucket = "bench-requests-" + System.nanoTime();
            sdk.createBucket(b -> b.bucket(bucket));
            double s3Rate = 2 * rate(16, seconds, (thread, n) -> {
                String key = "o-" + thread + "-" + n;
                sdk.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(small));
                sdk.getObjectAsBytes(b -> b.bucket(bucket).key(key));
            });
            row(String.format("| S3 requests, SDK alone (baseline) | %s | 16 threads, 10 KiB PUT + GET, %d s | "
                    + "%.0f requests/s | | the storage's request limit here |", storage.name(), seconds, s3Rate));
            double requestsBefore = PrometheusScrape.of(osiris.client).value("osiris_s3_requests_total");
            long buildsBefore = restBuilds.get();
            double restRate = rate(16, seconds, (thread, n) -> {
                String build = "/api/v1/namespaces/small/builds/rest-" + thread + "-" + n;
                check(osiris.client.putJson(build, "{\"phase\":\"Complete\"}").statusCode() == 200, "info");
                check(osiris.client.putLog(build + "/log", new ByteArrayInputStream(small)).statusCode() == 201, "log");
                restBuilds.incrementAndGet();
            });
            double perBuild = (PrometheusScrape.of(osiris.client).value("osiris_s3_requests_total") - requestsBefore)
                    / (restBuilds.get() - buildsBefore);
            row(String.format("| small builds, REST | %s, %s | 16 clients, 10 KiB logs, %d s | %.0f builds/s | >= 200 | "
                    + "PUT info + PUT log; %.1f S3 requests per build, bound %.0f builds/s |", storage.name(),
                    database.kind(), seconds, restRate, perBuild, s3Rate / perBuild));
            ManagedChannel channel = GrpcClients.channel(grpcPort, DevCertificates.TRUSTED, DevCertificates.TRUSTED);
            OsirisGrpc.OsirisBlockingStub stub = OsirisGrpc.newBlockingStub(channel);
            double grpcRate = rate(16, seconds, (thread, n) -> {
                var ref = GrpcCalls.ref("small", "grpc-" + thread + "-" + n);
                stub.putBuild(PutBuildRequest.newBuilder().setBuild(ref)
                        .setInfo(BuildInfo.newBuilder().setPhase("Complete")).build());
                GrpcCalls.putLog(channel, ref, new ByteArrayInputStream(small));
            });
            channel.shutdownNow();
            row(String.format("| small builds, gRPC (mTLS) | %s, %s | 16 clients, 10 KiB logs, %d s | %.0f builds/s | "
                    + ">= 200 | PutBuild + PutLog |", storage.name(), database.kind(), seconds, grpcRate));
            latency(storage, osiris, cluster, kube, small, quick ? 5 : 30);
        }
    }

    /**
     * Builds completing at a steady rate; latency = the log's storedAt minus the build's completionTimestamp (one
     * clock, this machine), read from the records afterwards, so measuring adds no load.
     */
    private void latency(Storage storage, OsirisProcess osiris, RemoteCluster cluster, NamespacedKubernetesClient kube,
                         byte[] log, int seconds) throws Exception {
        String ns = "ops-" + storage.name();
        int builds = 20 * seconds;
        for (int i = 0; i < builds; i++) {
            cluster.buildLog(ns, "steady-" + i, log); // the cluster serves them before the builds exist
        }
        long start = System.nanoTime();
        for (int i = 0; i < builds; i++) {
            long due = start + i * 50_000_000L;
            while (System.nanoTime() < due) {
                Thread.sleep(1);
            }
            String name = "steady-" + i;
            kube.adapt(OpenShiftClient.class).builds().inNamespace(ns).resource(new BuildBuilder()
                    .withNewMetadata().withName(name).withNamespace(ns).withUid(UUID.randomUUID().toString())
                    .endMetadata().withNewStatus().withPhase("Complete")
                    .withCompletionTimestamp(java.time.Instant.now().toString()).endStatus().build()).create();
        }
        List<Double> latencies = new ArrayList<>();
        List<Double> toRecorded = new ArrayList<>(); // watch event reached Osiris and was recorded
        List<Double> toStored = new ArrayList<>(); // recorded to log durable: fetch, spool, upload
        int missing = 0;
        for (int i = 0; i < builds; i++) {
            String name = "steady-" + i;
            if (!awaitLog(osiris.client, ns, name, log.length, TimeUnit.SECONDS.toNanos(60))) {
                missing++; // a capture that failed three times waits for the reconciliation
                continue;
            }
            JsonNode record = json.readTree(osiris.client.get("/api/v1/namespaces/" + ns + "/builds/" + name).body());
            java.time.Instant completed = java.time.Instant.parse(record.path("completionTimestamp").asText());
            java.time.Instant recorded = java.time.Instant.parse(record.path("recordedAt").asText());
            java.time.Instant stored = java.time.Instant.parse(record.path("log").path("storedAt").asText());
            latencies.add(java.time.Duration.between(completed, stored).toMillis() / 1000.0);
            toRecorded.add(java.time.Duration.between(completed, recorded).toMillis() / 1000.0);
            toStored.add(java.time.Duration.between(recorded, stored).toMillis() / 1000.0);
        }
        Collections.sort(latencies);
        Collections.sort(toRecorded);
        Collections.sort(toStored);
        row(String.format("| build completion to durable | %s | %d builds at 20/s | p50 %.2f s, p99 %.2f s, max %.2f s"
                        + "%s | p99 < 2 s | watcher, 10 KiB logs; storedAt - completionTimestamp |", storage.name(),
                builds, latencies.get(latencies.size() / 2),
                latencies.get((int) Math.min(latencies.size() - 1, latencies.size() * 0.99)),
                latencies.get(latencies.size() - 1),
                missing == 0 ? "" : ", " + missing + " not stored within 60 s"));
        row(String.format("| - of which: completion to recorded | %s | | p50 %.2f s, p99 %.2f s | | the watch event "
                        + "reaching Osiris (mock API server), queued, recorded |", storage.name(),
                toRecorded.get(toRecorded.size() / 2), toRecorded.get((int) (toRecorded.size() * 0.99))));
        row(String.format("| - of which: recorded to durable | %s | | p50 %.2f s, p99 %.2f s | | log fetch, spool, "
                        + "upload, record |", storage.name(),
                toStored.get(toStored.size() / 2), toStored.get((int) (toStored.size() * 0.99))));
    }

    private int grpcPort;
    private final AtomicLong restBuilds = new AtomicLong();

    /** In one thread, without a server: masking with the built-in rules, and a search's scan of a gzip log. */
    private void content() throws Exception {
        long size = quick ? 64 * MiB : 512 * MiB;
        Path file = logFile(size);
        byte[] buffer = new byte[64 * 1024];
        for (int round = 0; round < 2; round++) { // the first round warms the JIT
            double plain = mibPerSecond(size, () -> {
                try (InputStream in = Files.newInputStream(file)) {
                    while (in.read(buffer) >= 0) { }
                }
            });
            double masked = mibPerSecond(size, () -> {
                try (InputStream in = io.osiris.redaction.RedactedLog.withBuiltInRules(Files.newInputStream(file))) {
                    while (in.read(buffer) >= 0) { }
                }
            });
            Path gzip = work.resolve("log-" + size + ".gz");
            if (!Files.exists(gzip)) {
                try (InputStream in = Files.newInputStream(file);
                     java.io.OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gzip),
                             64 * 1024)) {
                    in.transferTo(out);
                }
            }
            long[] found = new long[1];
            double scan = mibPerSecond(size, () -> {
                try (InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(gzip), 64 * 1024)) {
                    found[0] = io.osiris.buildlog.LineSearch.of("Tests run: 7,", false, 5,
                            java.time.Duration.ofMinutes(10)).scan(in).count();
                }
            });
            if (round == 1) {
                row(String.format("| masking, built-in rules, one thread | - | %d MiB | %s MiB/s (reading alone %s) | "
                        + "the rule hints scanned on every line, expressions on hinted lines |", size / MiB,
                        figure(masked, 0), figure(plain, 0)));
                row(String.format("| search scan of a gzip log, one thread | - | %d MiB | %s MiB/s of log | gunzip + "
                        + "line match, %d matching lines |", size / MiB, figure(scan, 0), found[0]));
            }
        }
        maskingWithWords(quick ? 32 * MiB : 128 * MiB);
    }

    /**
     * Masking a log in which one line in five has the words of the assignment rules in ordinary text ("passed",
     * "token", "key"), and one in which one line in five is an assignment that is not a secret ({@code key: 12}):
     * the first is skipped by the scan, the second is tried with the rules' expressions.
     */
    private void maskingWithWords(long size) throws Exception {
        String[] plain = {"[INFO] Downloading from central: https://repo.maven.apache.org/maven2/org/x/1/x.pom\n",
            "STEP 7/12: RUN mvn -B package -DskipTests\n", "[INFO] Tests run: 7, Failures: 0, Errors: 0, Skipped: 0\n",
            "2026-11-29T10:00:17.123Z INFO  Starting build step of namespace ci\n"};
        String[][] cases = {
            {"words", "[INFO] Tests passed (12 of 12), token cache warm, key store loaded from /etc/pki\n"},
            {"assignments that are not secrets", "[INFO] cache: token_ttl=60 key: 12 passed: 12 of 12\n"}};
        byte[] buffer = new byte[64 * 1024];
        for (String[] kind : cases) {
            java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
            for (int i = 0; log.size() < size; i++) {
                log.write((i % 5 == 4 ? kind[1] : plain[i % 5]).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            byte[] bytes = log.toByteArray();
            double best = 0;
            for (int round = 0; round < 3; round++) {
                best = Math.max(best, mibPerSecond(bytes.length, () -> {
                    try (InputStream in = io.osiris.redaction.RedactedLog.withBuiltInRules(
                            new java.io.ByteArrayInputStream(bytes))) {
                        while (in.read(buffer) >= 0) { }
                    }
                }));
            }
            row(String.format("| masking, one line in five with %s, one thread | - | %d MiB | %s MiB/s | best of "
                    + "three, from memory |", kind[0], bytes.length / MiB, figure(best, 0)));
        }
    }

    /** Through a running Osiris: ingest with masking on and off (same process), and a search over many logs. */
    private void content(Storage storage, RemoteCluster cluster) throws Exception {
        long size = quick ? 100 * MiB : 1024 * MiB;
        Path file = logFile(size);
        String ns = "bench-content-" + storage.name();
        try (OsirisProcess osiris = start(storage, cluster, ns, "--osiris.redaction.exempt-namespaces=" + ns + "-raw")) {
            push(osiris, ns, "warm-up", logFile(MiB));
            push(osiris, ns + "-raw", "warm-up", logFile(MiB));
            double on = 0;
            double off = 0;
            for (int round = 0; round < 2; round++) { // alternated, best of two: the storage's noise is large
                int r = round;
                off = Math.max(off, mibPerSecond(size, () -> push(osiris, ns + "-raw", "off-" + r, file)));
                on = Math.max(on, mibPerSecond(size, () -> push(osiris, ns, "on-" + r, file)));
            }
            row(String.format("| REST push, masking on / off | %s | %d MiB | %s / %s MiB/s (%s%%) | best of two each, "
                    + "alternated; -Xmx256m, gzip 6 |", storage.name(), size / MiB, figure(on, 0), figure(off, 0),
                    figure(100 * (on - off) / off, 1)));

            int logs = quick ? 16 : 64;
            long each = 16 * MiB;
            Path part = logFile(each);
            for (int i = 0; i < logs; i++) {
                push(osiris, ns + "-search", "log-" + i, part);
            }
            for (int round = 0; round < 2; round++) {
                SearchAnswer answer = search(osiris, ns + "-search", "Tests run: 7,");
                JsonNode summary = answer.summary();
                check(answer.status() == 200 && summary.path("builds").asLong() == logs, "search");
                int cores = Runtime.getRuntime().availableProcessors();
                double rate = logs * each / (double) MiB / answer.seconds();
                if (round == 1) {
                    row(String.format("| search across %d logs of %d MiB | %s | %d MiB | %s MiB/s (%s per core, "
                            + "%d cores) | %d builds matched, partial %s |", logs, each / MiB, storage.name(),
                            logs * each / MiB, figure(rate, 0), figure(rate / cores, 0), cores,
                            summary.path("matched").asLong(), summary.path("partial").asBoolean()));
                }
            }
            searchAmongThousands(osiris, storage, ns + "-many", quick ? 200 : 2_000);
        }
    }

    /**
     * The case: which builds printed a given error, among thousands of logs. Every 97th of {@code logs} small
     * logs (32 KiB of build output) has the error line; the search must answer exactly those builds.
     */
    private void searchAmongThousands(OsirisProcess osiris, Storage storage, String ns, int logs) throws Exception {
        String error = "ERROR: The forked VM terminated without saying goodbye (exit 137)";
        Path plain = logFile(32 * 1024);
        Path failing = work.resolve("failing-32k.log");
        List<String> lines = Files.readAllLines(plain);
        lines.add(lines.size() / 2, error);
        Files.write(failing, lines);
        java.util.Set<String> expected = new java.util.HashSet<>();
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(8);
        List<java.util.concurrent.Future<?>> pushes = new ArrayList<>();
        for (int i = 0; i < logs; i++) {
            String name = "build-" + i;
            boolean fails = i % 97 == 0;
            if (fails) {
                expected.add(name);
            }
            pushes.add(clients.submit(() -> {
                push(osiris, ns, name, fails ? failing : plain);
                return null;
            }));
        }
        for (var push : pushes) {
            push.get();
        }
        clients.shutdown();
        SearchAnswer answer = search(osiris, ns, "without saying goodbye");
        java.util.Set<String> found = new java.util.HashSet<>();
        answer.builds().forEach(build -> found.add(build.path("name").asText()));
        JsonNode summary = answer.summary();
        check(answer.status() == 200 && found.equals(expected) && summary.path("builds").asLong() == logs,
                "search among " + logs + " logs found " + found.size() + " of " + expected.size());
        row(String.format("| search among %d logs of 32 KiB for an error printed by %d of them | %s | %d MiB | %.1f s, "
                        + "exactly the %d builds | partial %s |", logs, expected.size(), storage.name(),
                summary.path("bytes").asLong() / MiB, answer.seconds(), found.size(),
                summary.path("partial").asBoolean()));
    }

    /** A search's answer: its status, how long it took, the builds found and the summary line. */
    private record SearchAnswer(int status, double seconds, List<JsonNode> builds, JsonNode summary) {
    }

    /** {@code GET /api/v1/search} of {@code text} in the builds of {@code ns} (up to 1000), timed. */
    private SearchAnswer search(OsirisProcess osiris, String ns, String text) throws Exception {
        long started = System.nanoTime();
        var response = osiris.client.get("/api/v1/search?namespace=" + ns + "&q="
                + java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8) + "&limit=1000");
        double seconds = (System.nanoTime() - started) / 1e9;
        String[] lines = response.body().split("\n");
        List<JsonNode> builds = new ArrayList<>();
        for (int i = 0; i < lines.length - 1; i++) {
            builds.add(json.readTree(lines[i]));
        }
        return new SearchAnswer(response.statusCode(), seconds, builds,
                json.readTree(lines[lines.length - 1]).path("summary"));
    }

    private OsirisProcess start(Storage storage, RemoteCluster cluster, String name, String... extra)
            throws Exception {
        grpcPort = DevCertificates.freePort();
        database = BenchDatabase.named(work, "bench_" + name.replaceAll("[^a-z0-9]", "_") + "_" + System.nanoTime());
        Map<String, String> environment = new java.util.HashMap<>(Map.of(
                "OSIRIS_S3_ENDPOINT", storage.endpoint().toString(),
                "OSIRIS_S3_ACCESS_KEY", storage.accessKey(),
                "OSIRIS_S3_SECRET_KEY", storage.secretKey(),
                "OSIRIS_S3_BUCKET", "bench-" + System.nanoTime(),
                "KUBERNETES_MASTER", "http://127.0.0.1:" + cluster.port(),
                "KUBERNETES_AUTH_TRYKUBECONFIG", "false",
                "KUBERNETES_NAMESPACE", "osiris"));
        environment.putAll(database.environment());
        List<String> arguments = new ArrayList<>(List.of(
                "--osiris.cluster.enabled=true", "--osiris.cluster.namespaces=" + name,
                "--osiris.cluster.follow-logs=false", "--osiris.cluster.lease-namespace=osiris",
                "--osiris.cluster.pod-name=bench", "--osiris.cluster.lease-duration=3s",
                "--osiris.grpc.enabled=true", "--osiris.grpc.host=127.0.0.1", "--osiris.grpc.port=" + grpcPort,
                "--osiris.grpc.tls.cert-chain=" + DevCertificates.TRUSTED.resolve("server.crt"),
                "--osiris.grpc.tls.private-key=" + DevCertificates.TRUSTED.resolve("server.key"),
                "--osiris.grpc.tls.client-ca=" + DevCertificates.TRUSTED.resolve("ca.crt"),
                "--logging.level.root=WARN"));
        arguments.addAll(database.arguments());
        // the harness's clients all come from one address: the per-client share must not be what is measured
        arguments.add("--osiris.admission.max-uploads=64");
        arguments.add("--osiris.admission.max-uploads-per-client=64");
        arguments.addAll(List.of(extra));
        return OsirisProcess.start(Files.createDirectories(work.resolve(name)), "256m", environment,
                arguments.toArray(String[]::new));
    }

    private void awaitLog(OsirisClient client, String namespace, String name, long size) {
        if (!awaitLog(client, namespace, name, size, TimeUnit.MINUTES.toNanos(10))) {
            throw new IllegalStateException("log of " + name + " not stored");
        }
    }

    private boolean awaitLog(OsirisClient client, String namespace, String name, long size, long timeoutNanos) {
        long started = System.nanoTime();
        long deadline = started + timeoutNanos;
        while (System.nanoTime() < deadline) {
            try {
                JsonNode record = json.readTree(client.get("/api/v1/namespaces/" + namespace + "/builds/" + name)
                        .body());
                if (record.path("log").path("size").asLong(-1) == size) {
                    return true;
                }
                // asks again after 2 % of the time waited so far (at least 20 ms): at most 2 % late, and a long pull
                // is not slowed by the harness' own requests (50 a second took as much CPU as the capture did)
                Thread.sleep(Math.max(20, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) / 50));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (Exception e) {
                // not there yet
            }
        }
        return false;
    }

    private interface Step {
        void run() throws Exception;
    }

    private interface Upload {
        void to(String build) throws Exception;
    }

    private interface Work {
        void run(int thread, long n) throws Exception;
    }

    private static double mibPerSecond(long size, Step step) throws Exception {
        long started = System.nanoTime();
        step.run();
        return size / (double) MiB / ((System.nanoTime() - started) / 1e9);
    }

    private static double rate(int threads, int seconds, Work work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long started = System.nanoTime();
        List<Future<?>> runs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            runs.add(pool.submit(() -> {
                for (long n = 0; System.nanoTime() < end; n++) {
                    work.run(thread, n);
                    done.incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> run : runs) {
            run.get();
        }
        pool.shutdown();
        return done.get() / ((System.nanoTime() - started) / 1e9);
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what + " failed");
        }
    }

    /** The SDK's multipart client (Java, on Netty): parts of 8 MiB, 8 in flight, as `aws s3 cp` and the CRT do. */
    private static S3AsyncClient multipartS3(Storage storage) {
        return connected(S3AsyncClient.builder(), storage)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(8))
                .multipartEnabled(true)
                .multipartConfiguration(m -> m.minimumPartSizeInBytes(8 * MiB).thresholdInBytes(8 * MiB)
                        .apiCallBufferSizeInBytes(64 * MiB))
                .build();
    }

    private static S3Client s3(Storage storage) {
        return connected(S3Client.builder(), storage).build();
    }

    /** The storage's endpoint and keys, path-style, checksums only where S3 requires them (as Osiris sends). */
    private static <B extends S3BaseClientBuilder<B, ?>> B connected(B builder, Storage storage) {
        return builder.endpointOverride(storage.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(storage.accessKey(), storage.secretKey())))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    }

    private void row(String line) {
        table.add(line);
        System.out.println(line);
    }

}
