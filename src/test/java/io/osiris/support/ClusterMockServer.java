package io.osiris.support;

import java.nio.file.Path;

/**
 * The cluster mock as a process of its own, for the benchmark: the log server then does not share the harness's JVM
 * (its heap, its collector) with the clients being timed. Arguments: port, folder of log files, served by a
 * {@link ClusterLogFront} on that port in front of the mock. Prints {@code ready} once it listens.
 */
public final class ClusterMockServer {

    private ClusterMockServer() {
    }

    public static void main(String[] args) throws Exception {
        ClusterMock mock = new ClusterMock().start();
        int port = Integer.parseInt(args[0]);
        new ClusterLogFront(port, Path.of(args[1]), mock.port());
        System.out.println("ready " + port);
        Thread.currentThread().join();
    }
}
