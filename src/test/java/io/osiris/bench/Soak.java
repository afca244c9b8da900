package io.osiris.bench;

import io.osiris.support.FaultLoad;
import io.osiris.support.OsirisProcess;
import io.osiris.support.TestS3Server;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * The soak run of bench/run.sh --soak MINUTES: the packaged service (256 MiB heap) under mixed traffic (4 clients
 * pushing builds, 2 reading logs and lists) for MINUTES, with the storage killed for 30 s every 5 minutes and the
 * service SIGKILLed at every other outage. Prints RSS and spool size every 30 s, then what was acknowledged, lost,
 * refused, and how long the spool took to drain after the last outage. Against Ceph RGW when OSIRIS_CEPH_ENDPOINT is
 * set (killed with scripts/ceph-dev.sh rgw-kill), else against s3proxy (stopped and started).
 */
public final class Soak {

    public static void main(String[] args) throws Exception {
        int minutes = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        Path work = ScratchDirectory.create("osiris-soak");
        boolean ceph = System.getenv("OSIRIS_CEPH_ENDPOINT") != null;
        TestS3Server s3proxy = ceph ? null : new TestS3Server(work.resolve("s3proxy")).start();
        Map<String, String> environment = new HashMap<>();
        if (ceph) {
            environment.put("OSIRIS_S3_ENDPOINT", System.getenv("OSIRIS_CEPH_ENDPOINT"));
            environment.put("OSIRIS_S3_ACCESS_KEY", System.getenv("OSIRIS_CEPH_ACCESS_KEY"));
            environment.put("OSIRIS_S3_SECRET_KEY", System.getenv("OSIRIS_CEPH_SECRET_KEY"));
        } else {
            environment.put("OSIRIS_S3_ENDPOINT", s3proxy.endpoint().toString());
            environment.put("OSIRIS_S3_ACCESS_KEY", TestS3Server.ACCESS_KEY);
            environment.put("OSIRIS_S3_SECRET_KEY", TestS3Server.SECRET_KEY);
        }
        environment.put("OSIRIS_S3_BUCKET", "osiris-soak-" + System.currentTimeMillis());
        Path data = work.resolve("osiris");
        Files.createDirectories(data);
        AtomicReference<OsirisProcess> osiris = new AtomicReference<>(OsirisProcess.start(data, "256m", environment,
                "--osiris.spool.retry-interval=5s", "--osiris.records.retry-interval=5s"));
        String storage = ceph ? "Ceph RGW" : "s3proxy";
        System.out.printf("Soak: %d min against %s, storage killed 30 s every 5 min, Osiris SIGKILLed at every other "
                + "outage%n", minutes, storage);

        AtomicBoolean reading = new AtomicBoolean(true);
        AtomicLong reads = new AtomicLong();
        AtomicLong readFailures = new AtomicLong();
        long maxRss = 0;
        long maxSpool = 0;
        long lastRecovery = 0;
        int outages = 0;
        int kills = 0;
        try (FaultLoad load = new FaultLoad(() -> osiris.get().client, "soak")) {
            load.start(4, 1_000); // about 2 MiB/s of logs: a 30 min run fits the RAM-backed test RGW
            List<Thread> readers = Stream.of(0, 1).map(i -> new Thread(() -> {
                Random random = new Random(i);
                while (reading.get()) {
                    List<FaultLoad.Acknowledged> done = load.acknowledged();
                    String path = done.isEmpty() || random.nextInt(4) == 0 ? "/api/v1/namespaces/soak/builds?limit=100"
                            : done.get(random.nextInt(done.size())).build() + "/log";
                    try {
                        int status = osiris.get().client.get(path).statusCode();
                        reads.incrementAndGet();
                        if (status != 200 && status != 503) {
                            readFailures.incrementAndGet();
                        }
                    } catch (RuntimeException down) {
                        // the service is being restarted
                    }
                    pause(50);
                }
            })).toList();
            readers.forEach(Thread::start);

            long start = System.nanoTime();
            long end = start + Duration.ofMinutes(minutes).toNanos();
            long nextSample = start;
            long nextOutage = start + Duration.ofMinutes(Math.min(5, Math.max(1, minutes / 3))).toNanos();
            while (System.nanoTime() < end) {
                long now = System.nanoTime();
                if (now >= nextOutage && end - now > Duration.ofSeconds(60).toNanos()) {
                    outages++;
                    killStorage(s3proxy);
                    Thread.sleep(10_000);
                    if (outages % 2 == 0) {
                        osiris.set(osiris.get().killAndRestart());
                        kills++;
                    }
                    Thread.sleep(20_000);
                    startStorage(s3proxy);
                    lastRecovery = System.nanoTime();
                    nextOutage = now + Duration.ofMinutes(5).toNanos();
                }
                if (System.nanoTime() >= nextSample) {
                    long rss = kilobytes(osiris.get().rss());
                    long spool = spoolBytes(data);
                    maxRss = Math.max(maxRss, rss);
                    maxSpool = Math.max(maxSpool, spool);
                    System.out.printf("  %5.0f s: %d acknowledged, RSS %d MiB, spool %.1f MiB, answers %s%n",
                            (System.nanoTime() - start) / 1e9, load.acknowledged().size(), rss / 1024,
                            spool / 1048576.0, load.answers());
                    nextSample = Math.max(nextSample + Duration.ofSeconds(30).toNanos(), System.nanoTime());
                }
                Thread.sleep(1_000);
            }
            load.close();
            reading.set(false);
            for (Thread reader : readers) {
                reader.join();
            }
            long drainStarted = System.nanoTime();
            while (spoolBytes(data) > 0 && System.nanoTime() - drainStarted < Duration.ofMinutes(5).toNanos()) {
                Thread.sleep(500);
            }
            double drained = (System.nanoTime() - Math.max(lastRecovery, drainStarted)) / 1e9;
            List<String> lost = load.notDurable(osiris.get().client, Duration.ofMinutes(5));
            Map<String, Long> answers = load.answers();
            System.out.printf("Soak result (%s, %d min, %d storage outages, %d SIGKILLs): %d logs acknowledged, "
                            + "%d lost, %d violations; answers %s; %d reads (%d neither 200 nor 503); peak RSS "
                            + "%d MiB (last process %s); spool at most %.1f MiB, %.1f MiB at the end; spool empty "
                            + "%.1f s after the load stopped%n", storage, minutes, outages, kills,
                    load.acknowledged().size(), lost.size(), load.violations().size(), answers, reads.get(),
                    readFailures.get(), maxRss / 1024, osiris.get().peakRss(), maxSpool / 1048576.0,
                    spoolBytes(data) / 1048576.0, drained);
            lost.stream().limit(10).forEach(l -> System.out.println("  lost: " + l));
            load.violations().stream().limit(10).forEach(v -> System.out.println("  violation: " + v));
        } finally {
            osiris.get().close();
            if (s3proxy != null) {
                s3proxy.close();
            } else {
                startStorage(null);
            }
        }
        System.exit(0);
    }

    private static void killStorage(TestS3Server s3proxy) throws Exception {
        if (s3proxy != null) {
            s3proxy.stop();
        } else {
            run("scripts/ceph-dev.sh", "rgw-kill");
        }
    }

    private static void startStorage(TestS3Server s3proxy) throws Exception {
        if (s3proxy != null) {
            s3proxy.start();
        } else {
            run("scripts/ceph-dev.sh", "rgw-start");
        }
    }

    private static void run(String... command) throws Exception {
        new ProcessBuilder(command).inheritIO().start().waitFor();
    }

    private static long spoolBytes(Path data) throws IOException {
        Path spool = data.resolve("spool");
        if (!Files.exists(spool)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(spool)) {
            return files.filter(f -> f.toString().endsWith(".log")).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private static long kilobytes(String rss) {
        try {
            return Long.parseLong(rss.replace("kB", "").trim());
        } catch (NumberFormatException gone) {
            return 0;
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
