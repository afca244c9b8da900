package io.osiris.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service started the way the container image starts it (Containerfile): the jar extracted with Spring
 * Boot's tools jar mode, the JVM options of {@code openshift/jvm.options}, and a class data sharing archive made by
 * one training start. The layout and the archive are made once next to the jar and again when the jar changes.
 */
public final class PackagedApp {

    /** How the service is launched: as the image does, or the steps before it (the benchmark compares them). */
    public enum Launch {
        /** {@code java -jar osiris.jar}, default JVM settings. */
        FAT_JAR,
        /** The extracted layout with the image's JVM options, no archive. */
        EXTRACTED,
        /** As the image: extracted, JVM options, class data sharing archive. */
        IMAGE
    }

    private static final Path OPTIONS = Path.of(System.getProperty("osiris.jvm-options", "openshift/jvm.options"));
    private static final Path TRAINING = OPTIONS.resolveSibling("cds-training.sh");

    private PackagedApp() {
    }

    /** The java command line up to (not including) the application's own arguments. */
    public static synchronized List<String> command(Path packaged, String heap, Launch launch) throws Exception {
        Path jar = packaged.toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx" + heap));
        if (launch == Launch.FAT_JAR) {
            command.addAll(List.of("-XX:+ExitOnOutOfMemoryError", "-jar", jar.toString()));
            return command;
        }
        Path app = extracted(jar);
        command.add("@" + OPTIONS.toAbsolutePath());
        Path application = app.resolve(jar.getFileName());
        if (launch == Launch.IMAGE) {
            Path archive = archive(application, heap);
            if (Files.exists(archive)) {
                command.add("-XX:SharedArchiveFile=" + archive);
            }
        }
        command.addAll(List.of("-jar", application.toString()));
        return command;
    }

    private static Path extracted(Path jar) throws Exception {
        Path app = jar.resolveSibling("osiris-app");
        Path marker = app.resolve(".extracted");
        FileTime built = Files.getLastModifiedTime(jar);
        if (Files.exists(marker) && Files.getLastModifiedTime(marker).equals(built)) {
            return app;
        }
        run(List.of(java(), "-Djarmode=tools", "-jar", jar.toString(), "extract", "--force", "--destination",
                app.toString()), app.getParent(), 120);
        Files.deleteIfExists(app.resolve("osiris.jsa"));
        Files.writeString(marker, "");
        Files.setLastModifiedTime(marker, built);
        return app;
    }

    /** Trained as the image is (openshift/cds-training.sh: a start until ready, one log stored and read back). */
    private static Path archive(Path jar, String heap) throws Exception {
        Path archive = jar.resolveSibling("osiris.jsa");
        if (Files.exists(archive)) {
            return archive;
        }
        run(List.of("bash", TRAINING.toAbsolutePath().toString(), jar.toString(), archive.toString(),
                OPTIONS.toAbsolutePath().toString(), heap, String.valueOf(DevCertificates.freePort())),
                jar.getParent(), 300);
        return archive;
    }

    private static void run(List<String> command, Path directory, int seconds) throws IOException,
            InterruptedException {
        Files.createDirectories(directory);
        Path output = Files.createTempFile("osiris-packaged", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put("JAVA_CMD", java());
        Process process = builder.start();
        if (!process.waitFor(seconds, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + Files.readString(output));
        }
        Files.delete(output);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
