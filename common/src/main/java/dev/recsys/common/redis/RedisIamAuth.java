package dev.recsys.common.redis;

import io.lettuce.authx.TokenBasedRedisCredentialsProvider;
import io.lettuce.core.ClientOptions;
import redis.clients.authentication.core.IdentityProvider;
import redis.clients.authentication.core.TokenAuthConfig;

/**
 * Lettuce credentials that follow {@link IamAuthTokens}: Redis's token manager (redis-authx, which Lettuce ships
 * with) asks for a new token once {@link #REFRESH_RATIO} of the current one's life has passed, retrying on
 * failure, and streams it; with {@link #REAUTHENTICATE} Lettuce sends it on every live connection (AUTH), and
 * every reconnect uses the latest one.
 */
public final class RedisIamAuth {

    /** Refresh at 75 % of a token's life: 11¼ min into ElastiCache's 15, leaving time for retries. */
    public static final float REFRESH_RATIO = 0.75f;

    public static final ClientOptions.ReauthenticateBehavior REAUTHENTICATE = ClientOptions.ReauthenticateBehavior.ON_NEW_CREDENTIALS;

    private RedisIamAuth() {}

    /** Starts the token manager (the first token is requested at once, in the background); close it with the client. */
    public static TokenBasedRedisCredentialsProvider credentials(IdentityProvider tokens) {
        return TokenBasedRedisCredentialsProvider.create(TokenAuthConfig.builder()
                .expirationRefreshRatio(REFRESH_RATIO)
                .tokenRequestExecTimeoutInMs(2_000)
                .maxAttemptsToRetry(5)
                .delayInMsToRetry(200)
                .identityProviderConfig(() -> tokens)
                .build());
    }
}
