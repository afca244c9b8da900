package io.osiris.api;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code osiris.admission.*}: how much work the HTTP doors take at once, so that slow or many clients cannot take the
 * service down (see {@link RequestAdmission}). Bodies that stop arriving are cut by
 * {@code server.tomcat.connection-timeout}.
 *
 * @param maxRequests          API requests in flight, each on a request thread of its own (keep it below
 *                             {@code server.tomcat.threads.max}); above it 503 and readiness goes down until
 *                             there is room again
 * @param maxUploads           uploads in flight: requests with a body (logs, build info, legacy updates) and gRPC
 *                             PutLog calls; above it 503 (gRPC UNAVAILABLE). Keep it well below {@code maxRequests}
 *                             so that reads always find room
 * @param maxUploadsPerClient  requests with a body in flight from one client address; above it 429
 * @param maxFollowers         REST log reads with {@code follow=true} at once (each holds a worker while it
 *                             streams); above it 503
 */
@Validated
@ConfigurationProperties("osiris.admission")
public record AdmissionProperties(@Min(1) int maxRequests, @Min(1) int maxUploads, @Min(1) int maxUploadsPerClient,
                                  @DefaultValue("8") @Min(1) int maxFollowers) {
}
