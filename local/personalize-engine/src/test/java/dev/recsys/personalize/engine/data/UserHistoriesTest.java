package dev.recsys.personalize.engine.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UserHistoriesTest {

    @Test
    void keepsEachItemOnceAtItsLatestInteractionOldestFirst() {
        Interactions data = Interactions.builder()
                .add("u1", "x", 30, "view", Float.NaN)
                .add("u1", "y", 10, "view", Float.NaN)
                .add("u2", "y", 5, "view", Float.NaN)
                .add("u1", "z", 20, "click", 2f)
                .add("u1", "y", 40, "view", Float.NaN)
                .build();
        UserHistories h = UserHistories.of(data);

        int u1 = h.userIndex("u1");
        assertThat(java.util.Arrays.stream(h.history(u1)).mapToObj(h::itemId)).containsExactly("z", "x", "y");
        assertThat(java.util.Arrays.stream(h.history(h.userIndex("u2"))).mapToObj(h::itemId)).containsExactly("y");
        assertThat(h.eventCount(h.itemIndex("y"))).isEqualTo(3f);
        assertThat(h.userIndex("nobody")).isEqualTo(-1);
        assertThat(h.interactionCount()).isEqualTo(4);
    }

    @Test
    void filteringKeepsDictionariesButDropsUsersWithoutRows() {
        Interactions data = Interactions.builder()
                .add("u1", "x", 1, "view", Float.NaN)
                .add("u2", "y", 2, "purchase", 9.5f)
                .build();
        Interactions purchases = data.filter(r -> data.eventType(r).equals("purchase"));
        assertThat(purchases.size()).isEqualTo(1);
        assertThat(purchases.distinctUsers()).isEqualTo(1);
        assertThat(purchases.value(0)).isEqualTo(9.5f);
        UserHistories h = UserHistories.of(purchases);
        assertThat(h.userCount()).isEqualTo(1);
        assertThat(h.itemCount()).isEqualTo(1);
        assertThat(h.userId(0)).isEqualTo("u2");
    }
}
