package dev.recsys.consumer.health;

import com.codahale.metrics.health.HealthCheck;
import dev.recsys.consumer.realtime.PersonalizeEventForwarder;

/** Whether the Personalize event tracker took our last call (or the start-up probe). */
public final class EventTrackerHealthCheck extends HealthCheck {

    private final PersonalizeEventForwarder forwarder;

    public EventTrackerHealthCheck(PersonalizeEventForwarder forwarder) {
        this.forwarder = forwarder;
    }

    @Override
    protected Result check() {
        PersonalizeEventForwarder.Status s = forwarder.status();
        return s.reachable() ? Result.healthy("%s at %s", s.detail(), s.at())
                : Result.unhealthy("%s at %s: real-time events are retried, then dropped (training still sees them)", s.detail(), s.at());
    }
}
