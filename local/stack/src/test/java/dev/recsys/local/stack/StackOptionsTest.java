package dev.recsys.local.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StackOptionsTest {

    @Test
    void allSelectsEveryServiceInMemory() {
        StackOptions all = StackOptions.all();
        assertThat(all.services()).containsExactlyInAnyOrder(Service.values());
        assertThat(all.stateDir()).isEmpty();
    }

    @Test
    void ofSelectsOnlyTheGivenServices() {
        StackOptions some = StackOptions.of(Service.S3, Service.S3, Service.REDIS);
        assertThat(some.services()).containsExactlyInAnyOrder(Service.S3, Service.REDIS);
        assertThat(some.has(Service.KINESIS)).isFalse();
        assertThat(some.withStateDir(Path.of("/tmp/x")).stateDir()).contains(Path.of("/tmp/x"));
    }

    @Test
    void servicesAreCopied() {
        Set<Service> mutable = EnumSet.of(Service.S3);
        StackOptions options = new StackOptions(mutable, Optional.empty(), Duration.ofSeconds(1));
        mutable.add(Service.REDIS);
        assertThat(options.services()).containsExactly(Service.S3);
    }

    @Test
    void rejectsNoServicesAndNonPositiveTimeouts() {
        assertThatThrownBy(StackOptions::of).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StackOptions(Set.of(), Optional.empty(), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StackOptions.all().withStartupTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
