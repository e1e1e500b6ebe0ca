package dev.hubble.dev;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Temporal Java test server's services (frontend, operator, test service and health checks)
 * served over gRPC on one address only.
 *
 * <p>{@code TestServer.createPortBoundServer} binds every interface, and the test server has no
 * authentication: anyone on the network could start or terminate workflows. This builds the
 * gRPC server itself, on {@code address:port}, from the same service implementations
 * ({@link TestServicesStarter}) and the same registration ({@link GRPCServerHelper}) as
 * {@code createPortBoundServer} in temporal-test-server 1.38.0. Those classes sit in an
 * {@code internal} package: after an upgrade, check that {@code createPortBoundServer} still
 * registers services this way.
 */
final class TemporalTestServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TemporalTestServer.class);

    private final TestServicesStarter services;
    private final Server server;

    private TemporalTestServer(TestServicesStarter services, Server server) {
        this.services = services;
        this.server = server;
    }

    /**
     * Starts a server in real time (time skipping locked, as a real Temporal) on
     * {@code address:port}.
     *
     * @throws UncheckedIOException if the port cannot be bound (e.g. it is in use)
     */
    static TemporalTestServer start(InetAddress address, int port) {
        TestServicesStarter services = new TestServicesStarter(true, 0);
        UnloggedTimeLocks.apply(services);
        ServerBuilder<?> builder = NettyServerBuilder.forAddress(new InetSocketAddress(address, port));
        GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
        try {
            return new TemporalTestServer(services, builder.build().start());
        } catch (IOException e) {
            services.close();
            throw new UncheckedIOException("cannot listen on " + address.getHostAddress() + ":" + port, e);
        }
    }

    /** The port it listens on. */
    int port() {
        return server.getPort();
    }

    /** Stops serving, then stops the services; waits at most 5 s for calls in flight. */
    @Override
    public void close() {
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("The Temporal test server's gRPC calls did not finish within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            services.close();
            server.shutdownNow();
        }
    }
}
