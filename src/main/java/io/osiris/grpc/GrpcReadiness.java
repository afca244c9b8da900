package io.osiris.grpc;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * The standard gRPC health service answers what the readiness group says (storage reachable and, with the watcher
 * on, the Kubernetes API), so gRPC load balancers and probes stop sending calls that would fail. Route
 * {@code grpc-readiness} calls it periodically.
 */
@Component("grpcReadiness")
public class GrpcReadiness {

    private final HealthEndpoint health;
    private final OsirisGrpcComponent grpc;

    public GrpcReadiness(HealthEndpoint health, OsirisGrpcComponent grpc) {
        this.health = health;
        this.grpc = grpc;
    }

    public ServingStatus update() {
        HealthComponent readiness = health.healthForPath("readiness");
        ServingStatus status = readiness != null && Status.UP.equals(readiness.getStatus())
                ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
        grpc.health().setStatus("", status);
        grpc.health().setStatus(io.osiris.grpc.v1.OsirisGrpc.SERVICE_NAME, status);
        return status;
    }
}
