package io.osiris.api.legacy;

import java.util.function.Predicate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/** The legacy {@code /probes/*} answer from the same health groups as {@code /actuator/health/*}. */
@Component("legacyProbes")
public class LegacyProbes {

    private final Predicate<String> groupUp;

    @Autowired
    public LegacyProbes(HealthEndpoint health) {
        this(group -> isUp(health.healthForPath(group)));
    }

    private LegacyProbes(Predicate<String> groupUp) {
        this.groupUp = groupUp;
    }

    /** Without Spring's health groups (under {@code camel run}): live while running, ready while storage is. */
    public static LegacyProbes fromStorage(HealthIndicator storage) {
        return new LegacyProbes(group -> !"readiness".equals(group) || isUp(storage.health()));
    }

    public boolean liveness() {
        return isUp("liveness");
    }

    public boolean readiness() {
        return isUp("readiness");
    }

    private boolean isUp(String group) {
        return groupUp.test(group);
    }

    private static boolean isUp(HealthComponent component) {
        return component != null && Status.UP.equals(component.getStatus());
    }
}
