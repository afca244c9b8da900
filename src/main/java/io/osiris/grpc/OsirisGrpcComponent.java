package io.osiris.grpc;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.netty.handler.ssl.ClientAuth;
import io.osiris.access.AuditLog;
import io.osiris.access.Callers;
import io.netty.handler.ssl.SslContextBuilder;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.util.Map;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Processor;
import org.apache.camel.component.grpc.GrpcComponent;
import org.apache.camel.component.grpc.GrpcComponentConfigurer;
import org.apache.camel.component.grpc.GrpcEndpointConfigurer;
import org.apache.camel.spi.PropertyConfigurer;
import org.apache.camel.component.grpc.GrpcConfiguration;
import org.apache.camel.component.grpc.GrpcConsumer;
import org.apache.camel.component.grpc.GrpcEndpoint;
import org.apache.camel.component.grpc.server.DefaultBindableServiceFactory;
import org.apache.camel.component.grpc.server.GrpcHeaderInterceptor;
import org.springframework.stereotype.Component;

/**
 * The {@code grpc} Camel component of Osiris. Its consumers serve the route's service as camel-grpc does, on a server
 * that also offers the standard health service and server reflection (so generic gRPC tools work) and takes TLS
 * from {@code osiris.grpc.tls}: mutual TLS when a client CA is configured, server-only TLS otherwise. camel-grpc's
 * own server can add neither service and always demands client certificates. Every call of the Osiris service is
 * authenticated first ({@link GrpcCallers}); health and reflection stay open.
 */
@Component("grpc")
public class OsirisGrpcComponent extends GrpcComponent {

    private static final VarHandle SERVER = serverField();

    private final GrpcProperties properties;
    private final GrpcCallers callers;
    private final HealthStatusManager health = new HealthStatusManager();

    public OsirisGrpcComponent(GrpcProperties properties, Callers access, AuditLog audit) {
        this.properties = properties;
        this.callers = new GrpcCallers(access, audit);
    }

    public HealthStatusManager health() {
        return health;
    }

    /** camel-grpc's generated configurers are found by the class name of the component: name them here. */
    @Override
    public PropertyConfigurer getComponentPropertyConfigurer() {
        return new GrpcComponentConfigurer();
    }

    @Override
    public PropertyConfigurer getEndpointPropertyConfigurer() {
        return new GrpcEndpointConfigurer();
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        // camel-grpc reads the URI and its options; only the consumer differs
        GrpcEndpoint configured = (GrpcEndpoint) super.createEndpoint(uri, remaining, parameters);
        return new GrpcEndpoint(uri, this, configured.getConfiguration()) {
            @Override
            public Consumer createConsumer(Processor processor) throws Exception {
                Consumer consumer = new ServingConsumer(this, processor, getConfiguration());
                configureConsumer(consumer);
                return consumer;
            }
        };
    }

    private final class ServingConsumer extends GrpcConsumer {

        ServingConsumer(GrpcEndpoint endpoint, Processor processor, GrpcConfiguration configuration) {
            super(endpoint, processor, configuration);
        }

        @Override
        protected void initializeServer() throws Exception {
            BindableService service = new DefaultBindableServiceFactory().createBindableService(this);
            NettyServerBuilder builder = NettyServerBuilder
                    .forAddress(new InetSocketAddress(configuration.getHost(), configuration.getPort()))
                    .addService(ServerInterceptors.intercept(service, new GrpcHeaderInterceptor(), callers))
                    .addService(health.getHealthService())
                    .addService(ProtoReflectionServiceV1.newInstance())
                    .addService(deprecatedReflection())
                    .maxInboundMessageSize(configuration.getMaxMessageSize());
            if (!properties.plaintext()) {
                GrpcProperties.Tls tls = properties.tls();
                SslContextBuilder ssl = SslContextBuilder.forServer(tls.certChain().toFile(), tls.privateKey().toFile());
                if (tls.clientCa() != null) {
                    ssl.trustManager(tls.clientCa().toFile()).clientAuth(ClientAuth.REQUIRE);
                }
                builder.sslContext(GrpcSslContexts.configure(ssl).build());
            }
            Server server = builder.build();
            // GrpcConsumer starts and stops the server kept in its private field
            SERVER.set(this, server);
            health.setStatus("", io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);
            health.setStatus(io.osiris.grpc.v1.OsirisGrpc.SERVICE_NAME,
                    io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);
        }

        @Override
        protected void doStop() throws Exception {
            health.setStatus("", io.grpc.health.v1.HealthCheckResponse.ServingStatus.NOT_SERVING);
            super.doStop();
        }

        @SuppressWarnings("deprecation") // grpcurl and older tools still ask the v1alpha reflection service
        private BindableService deprecatedReflection() {
            return ProtoReflectionService.newInstance();
        }
    }

    private static VarHandle serverField() {
        try {
            return MethodHandles.privateLookupIn(GrpcConsumer.class, MethodHandles.lookup())
                    .findVarHandle(GrpcConsumer.class, "server", Server.class);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("camel-grpc changed: GrpcConsumer.server not found", e);
        }
    }
}
