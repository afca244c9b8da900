package io.osiris.api.legacy;

import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/** The legacy {@code /probes/*} answer from the same health groups as {@code /actuator/health/*}. */
@Component("legacyProbes")
public class LegacyProbes {

    private final HealthEndpoint health;

    public LegacyProbes(HealthEndpoint health) {
        this.health = health;
    }

    public boolean liveness() {
        return isUp("liveness");
    }

    public boolean readiness() {
        return isUp("readiness");
    }

    private boolean isUp(String group) {
        HealthComponent component = health.healthForPath(group);
        return component != null && Status.UP.equals(component.getStatus());
    }
}
