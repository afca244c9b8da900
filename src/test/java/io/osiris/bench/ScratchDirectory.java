package io.osiris.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.springframework.util.FileSystemUtils;

/**
 * A benchmark run's scratch directory. A run writes several GiB into it (generated logs, the services' spools and
 * embedded stores), so it is removed when the run ends, also when it is stopped with Ctrl-C. The processes the run
 * started (Osiris, the cluster's log server) write into it, so they are stopped first.
 */
final class ScratchDirectory {

    private ScratchDirectory() {
    }

    static Path create(String prefix) throws IOException {
        Path directory = Files.createTempDirectory(prefix);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> remove(directory), "bench-scratch-removal"));
        return directory;
    }

    private static void remove(Path directory) {
        List<ProcessHandle> children = ProcessHandle.current().descendants().toList();
        children.forEach(ProcessHandle::destroy);
        for (ProcessHandle child : children) {
            try {
                child.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                child.destroyForcibly();
            }
        }
        try {
            FileSystemUtils.deleteRecursively(directory);
        } catch (IOException e) {
            System.err.println("Could not remove " + directory + ": " + e.getMessage());
        }
    }
}
