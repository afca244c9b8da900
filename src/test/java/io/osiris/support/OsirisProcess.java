package io.osiris.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The packaged service started as its own process, with a bounded heap: an OutOfMemoryError ends it
 * ({@code -XX:+ExitOnOutOfMemoryError}), so a test that finds it alive after a large log knows the log streamed.
 */
public final class OsirisProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    public final OsirisClient client;

    private OsirisProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.client = new OsirisClient(port);
    }

    /** When it became ready, in seconds after the process started. */
    public double startSeconds;

    public static OsirisProcess start(Path data, String heap, Map<String, String> environment, String... arguments)
            throws Exception {
        return start(PackagedApp.Launch.IMAGE, data, heap, environment, arguments);
    }

    /** Started {@code launch}'s way (the benchmark compares the ways), waiting until it is ready. */
    public static OsirisProcess start(PackagedApp.Launch launch, Path data, String heap,
                                      Map<String, String> environment, String... arguments) throws Exception {
        OsirisProcess osiris = launch(launch, data, heap, environment, DevCertificates.freePort(), arguments);
        osiris.awaitReady();
        return osiris;
    }

    /** Started, waiting only until it is live (HTTP answers), not ready: for starts without storage. */
    public static OsirisProcess startLive(Path data, String heap, Map<String, String> environment,
                                          String... arguments) throws Exception {
        OsirisProcess osiris = launch(PackagedApp.Launch.IMAGE, data, heap, environment, DevCertificates.freePort(),
                arguments);
        osiris.await("/actuator/health/liveness");
        return osiris;
    }

    private static OsirisProcess launch(PackagedApp.Launch launch, Path data, String heap,
                                        Map<String, String> environment, int port, String... arguments)
            throws Exception {
        List<String> command = new ArrayList<>(PackagedApp.command(
                Path.of(System.getProperty("osiris.jar", "target/osiris-0.1.0-SNAPSHOT.jar")), heap, launch));
        command.add("--server.port=" + port);
        String recording = System.getenv("OSIRIS_BENCH_JFR");
        if (recording != null && !recording.isBlank()) {
            // a flight recording per process, for profiling a benchmark run (bench/run.sh --profile)
            command.add(2, "-XX:StartFlightRecording=settings=profile,filename="
                    + Path.of(recording, "osiris-" + port + "-" + System.nanoTime() + ".jfr"));
        }
        String options = System.getenv("OSIRIS_BENCH_JAVA_OPTIONS");
        if (options != null && !options.isBlank()) {
            // JVM options to try on every Osiris process of a benchmark run, after the image's own
            command.addAll(command.indexOf("-jar"), List.of(options.trim().split("\\s+")));
        }
        command.addAll(List.of(arguments));
        Path log = data.resolve("osiris.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("OSIRIS_DATA_DIR", data.toString());
        builder.environment().put("OSIRIS_SPOOL_DIR", data.resolve("spool").toString());
        if (launch != PackagedApp.Launch.FAT_JAR) {
            builder.environment().put("MALLOC_ARENA_MAX", "2"); // as the image sets it
        }
        builder.environment().putAll(environment);
        long started = System.nanoTime();
        OsirisProcess osiris = new OsirisProcess(builder.start(), log, port);
        osiris.started = started;
        osiris.relaunch = () -> launch(launch, data, heap, environment, port, arguments);
        return osiris;
    }

    private long started;
    private java.util.concurrent.Callable<OsirisProcess> relaunch;

    /**
     * SIGKILL, as a crash or an OOM kill would end it: nothing is flushed or finished. Then the same service (data,
     * port, settings) is started again; returns it once it is live.
     */
    public OsirisProcess killAndRestart() throws Exception {
        process.destroyForcibly();
        process.waitFor();
        OsirisProcess next = relaunch.call();
        next.await("/actuator/health/liveness");
        return next;
    }

    public void awaitReady() throws Exception {
        await("/actuator/health/readiness");
        startSeconds = (System.nanoTime() - started) / 1e9;
    }

    private void await(String probe) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                if (client.get(probe).statusCode() == 200) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError("Osiris did not answer " + probe + ":\n" + Files.readString(log));
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** Resident memory of the process now (VmRSS). */
    public String rss() throws IOException {
        return status("VmRSS");
    }

    private String status(String field) throws IOException {
        Path status = Path.of("/proc", Long.toString(process.pid()), "status");
        if (!Files.exists(status)) {
            return "n/a";
        }
        return Files.readAllLines(status).stream().filter(l -> l.startsWith(field)).findFirst()
                .map(l -> l.replace(field + ":", "").trim()).orElse("n/a");
    }

    /** Peak resident memory of the process so far (VmHWM). */
    public String peakRss() throws IOException {
        return status("VmHWM");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
