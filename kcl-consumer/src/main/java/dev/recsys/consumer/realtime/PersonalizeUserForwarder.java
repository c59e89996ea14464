package dev.recsys.consumer.realtime;

import com.codahale.metrics.MetricRegistry;
import dev.recsys.common.keys.UsersDataset;
import dev.recsys.consumer.record.IngestedRecord.UserCataloged;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.services.personalizeevents.PersonalizeEventsAsyncClient;
import software.amazon.awssdk.services.personalizeevents.model.User;

/**
 * Sends the upserts the users table applied to the Users dataset (PutUsers) the way every catalog dataset is fed
 * ({@link PersonalizeCatalogForwarder}). Deletes are not sent: PutUsers has no delete, so a deleted user keeps its
 * last metadata in Personalize until the next Users import, which leaves tombstones out.
 */
public final class PersonalizeUserForwarder extends PersonalizeCatalogForwarder<UserCataloged, User> {

    public PersonalizeUserForwarder(PersonalizeEventsAsyncClient client, String datasetArn, int capacity, int attempts,
                                    int maxInFlight, Duration callTimeout, MetricRegistry metrics) {
        super("user", capacity, attempts, maxInFlight, callTimeout, metrics, PersonalizeUserForwarder::toUser,
                users -> client.putUsers(r -> r.datasetArn(datasetArn).users(users)));
    }

    @Override
    public void onUsersStored(List<UserCataloged> applied) {
        forward(applied);
    }

    /** {@code properties}: the Users schema's fields ({@link UsersDataset#properties}). */
    static User toUser(UserCataloged u) {
        return User.builder().userId(u.user().userId()).properties(json(UsersDataset.properties(u.user()))).build();
    }
}
