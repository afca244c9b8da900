package io.osiris.access;

import io.micrometer.core.instrument.MeterRegistry;
import io.osiris.records.BuildRecords;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Wires access control and refuses to start anonymous ({@code osiris.auth.mode=none}) on an address other hosts can
 * reach, unless {@code osiris.auth.allow-anonymous=true} says that is meant.
 */
@Configuration(proxyBeanMethods = false)
public class AccessConfiguration {

    @Bean
    AuditLog auditLog(MeterRegistry meters) {
        return new AuditLog(meters);
    }

    @Bean
    Callers callers(AuthProperties properties, KubernetesReviews kubernetes, Environment environment) {
        refuseAnonymousOnTheNetwork(properties, environment::getProperty);
        return new Callers(properties, kubernetes);
    }

    @Bean("accessControl")
    AccessControl accessControl(Callers callers, BuildRecords records, AuditLog audit) {
        return new AccessControl(callers, records, audit);
    }

    @Bean
    FilterRegistrationBean<ClientAddressFilter> clientAddressFilter() {
        return new FilterRegistrationBean<>(new ClientAddressFilter());
    }

    @Bean
    FilterRegistrationBean<UnauthorizedBodyFilter> unauthorizedBodyFilter(Callers callers) {
        FilterRegistrationBean<UnauthorizedBodyFilter> registration =
                new FilterRegistrationBean<>(new UnauthorizedBodyFilter(callers));
        registration.addUrlPatterns("/api/*", "/build/*");
        return registration;
    }

    @Bean
    FilterRegistrationBean<ActuatorAccessFilter> actuatorAccessFilter(Callers callers) {
        FilterRegistrationBean<ActuatorAccessFilter> registration =
                new FilterRegistrationBean<>(new ActuatorAccessFilter(callers));
        registration.addUrlPatterns("/actuator/*");
        return registration;
    }

    /** {@code settings} looks up Spring's property names (server.address, osiris.grpc.*, management.server.*). */
    public static void refuseAnonymousOnTheNetwork(AuthProperties properties, UnaryOperator<String> settings) {
        if (properties.enabled() || properties.allowAnonymous()) {
            return;
        }
        List<String> open = new ArrayList<>();
        String http = settings.apply("server.address");
        if (!loopback(http)) {
            open.add("HTTP on " + (blank(http) ? "all interfaces" : http) + " (server.address)");
        }
        if (Boolean.parseBoolean(settings.apply("osiris.grpc.enabled"))) {
            String grpc = settings.apply("osiris.grpc.host");
            if (!loopback(grpc)) {
                open.add("gRPC on " + (blank(grpc) ? "all interfaces" : grpc) + " (osiris.grpc.host)");
            }
        }
        String management = settings.apply("management.server.port");
        String managementAddress = settings.apply("management.server.address");
        if (!blank(management) && !loopback(blank(managementAddress) ? http : managementAddress)) {
            open.add("the management port " + management + " (management.server.address)");
        }
        if (!open.isEmpty()) {
            throw new AnonymousAccessRefused("osiris.auth.mode=none lets anyone read, write and delete every log, but "
                    + String.join(" and ", open) + " can be reached from other hosts. Bind to 127.0.0.1, "
                    + "choose osiris.auth.mode=kubernetes and/or tokens, or set osiris.auth.allow-anonymous=true "
                    + "if anonymous access is really meant.");
        }
    }

    private static boolean loopback(String address) {
        if (blank(address)) {
            return false;
        }
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
