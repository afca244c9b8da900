package io.osiris.support;

import java.nio.file.Path;

/**
 * The cluster mock as a process of its own, for the benchmark: the log server then does not share the harness's JVM
 * (its heap, its collector) with the clients being timed. Arguments: port, folder of log files (see
 * {@link ClusterMock#logsFrom}). Prints {@code ready} once it listens.
 */
public final class ClusterMockServer {

    private ClusterMockServer() {
    }

    public static void main(String[] args) throws Exception {
        ClusterMock mock = new ClusterMock().onPort(Integer.parseInt(args[0])).logsFrom(Path.of(args[1])).start();
        System.out.println("ready " + mock.port());
        while (true) {
            mock.loadLogFiles();
            Thread.sleep(100);
        }
    }
}
