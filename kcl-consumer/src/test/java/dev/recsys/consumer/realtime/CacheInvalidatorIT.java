package dev.recsys.consumer.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import dev.recsys.common.cache.RecommendationCacheKeys;
import dev.recsys.common.redis.IamAuthTokens;
import dev.recsys.local.stack.Endpoints;
import dev.recsys.local.stack.LocalStack;
import dev.recsys.local.stack.Service;
import dev.recsys.local.stack.junit.WithLocalStack;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Invalidation as deployed: the consumer's own cache user (the contract's access string) with IAM tokens. */
@WithLocalStack(services = Service.REDIS)
class CacheInvalidatorIT {

    @Test
    void theConsumersUserInvalidatesWithinItsAccessString(LocalStack stack) {
        Endpoints e = stack.endpoints();
        RedisClient adminClient = RedisClient.create(e.redisUri().toString());
        RedisCommands<String, String> admin = adminClient.connect().sync();
        String key = RecommendationCacheKeys.userKey("inv-1");
        admin.hset(key, "rec|a", "9999999999999|{}");
        IamAuthTokens tokens = IamAuthTokens.of(e.redisCacheName(), e.redisUser("consumer"), e.region(), e.credentialsProvider());
        try (CacheInvalidator invalidator = new CacheInvalidator(e.redisUri().toString(), tokens, Duration.ofSeconds(2),
                Duration.ofHours(1), new MetricRegistry())) {
            invalidator.connect();

            assertThat(invalidator.invalidate(List.of("inv-1", "inv-2"))).isEqualTo(Set.of("inv-1", "inv-2"));
            assertThat(admin.exists(key)).isZero();
            assertThat(admin.get(RecommendationCacheKeys.generationKey(key))).isEqualTo("1");
            assertThat(invalidator.ping()).isTrue();
            assertThat(admin.clientList()).as("connected as the consumer's user, not the default one")
                    .contains("user=" + e.redisUser("consumer"));
        } finally {
            adminClient.shutdown();
        }
    }
}
