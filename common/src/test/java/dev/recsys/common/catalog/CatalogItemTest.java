package dev.recsys.common.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CatalogItemTest {

    static CatalogItem upsert(long updatedAt, String category) {
        return new CatalogItem("item-1", CatalogItem.Operation.UPSERT, updatedAt, category, null, List.of(), null,
                1_700_000_000_000L, true, Map.of());
    }

    @Test
    void revisionsSortLikeUpdateTimesWhateverTheirNumberOfDigits() {
        assertThat(upsert(999, "a").revision()).isLessThan(upsert(1_000, "a").revision());
        assertThat(upsert(1_700_000_000_000L, "a").revision()).isLessThan(upsert(1_700_000_000_001L, "a").revision());
        assertThat(upsert(Long.MAX_VALUE - 1, "a").revision()).isLessThan(upsert(Long.MAX_VALUE, "a").revision());
    }

    @Test
    void inTheSameMillisecondADeleteWinsAndTwoUpsertsStillHaveAnOrder() {
        long t = 1_780_000_000_000L;
        assertThat(CatalogItem.delete("item-1", t).revision()).isGreaterThan(upsert(t, "zzz").revision());
        assertThat(CatalogItem.delete("item-1", t).revision()).isLessThan(upsert(t + 1, "a").revision());
        assertThat(upsert(t, "a").revision()).isNotEqualTo(upsert(t, "b").revision());
        assertThat(upsert(t, "a").revision()).as("same record, same revision: a replay is recognised").isEqualTo(upsert(t, "a").revision());
    }

    /** What the items table keeps of a sequence of records: per item, the greatest revision (a conditional put each). */
    static CatalogItem fold(List<CatalogItem> arrivals) {
        CatalogItem state = null;
        for (CatalogItem r : arrivals) if (state == null || state.revision().compareTo(r.revision()) < 0) state = r;
        return state;
    }

    @Test
    void everyArrivalOrderWithReplaysConvergesOnTheLatestRecordAndADeleteIsNeverUndone() {
        long t = 1_780_000_000_000L;
        List<CatalogItem> records = List.of(upsert(t, "a"), upsert(t + 1, "b"), CatalogItem.delete("item-1", t + 2), upsert(t + 1, "c"));
        java.util.Set<CatalogItem> finals = new java.util.HashSet<>();
        permutations(new java.util.ArrayList<>(records), 0, order -> {
            List<CatalogItem> replayed = new java.util.ArrayList<>(order);
            replayed.addAll(order.subList(0, 2)); // a crash replays the first records after everything else
            finals.add(fold(replayed));
        });
        assertThat(finals).containsExactly(CatalogItem.delete("item-1", t + 2));

        java.util.Set<CatalogItem> tied = new java.util.HashSet<>();
        permutations(new java.util.ArrayList<>(List.of(upsert(t, "a"), upsert(t + 1, "b"), upsert(t + 1, "c"))), 0,
                order -> tied.add(fold(order)));
        assertThat(tied).as("two upserts in one millisecond: every order picks the same one").hasSize(1);
    }

    private static void permutations(List<CatalogItem> list, int k, java.util.function.Consumer<List<CatalogItem>> out) {
        if (k == list.size()) {
            out.accept(List.copyOf(list));
            return;
        }
        for (int i = k; i < list.size(); i++) {
            java.util.Collections.swap(list, k, i);
            permutations(list, k + 1, out);
            java.util.Collections.swap(list, k, i);
        }
    }

    @Test
    void theRevisionDoesNotDependOnTheOrderDisplayFieldsArrivedIn() {
        Map<String, String> ab = new java.util.LinkedHashMap<>();
        ab.put("a", "1");
        ab.put("b", "2");
        Map<String, String> ba = new java.util.LinkedHashMap<>();
        ba.put("b", "2");
        ba.put("a", "1");
        CatalogItem x = new CatalogItem("i", CatalogItem.Operation.UPSERT, 5, null, null, List.of(), null, 1L, true, ab);
        CatalogItem y = new CatalogItem("i", CatalogItem.Operation.UPSERT, 5, null, null, List.of(), null, 1L, true, ba);
        assertThat(x.revision()).isEqualTo(y.revision());
        assertThat(x).isEqualTo(y);
    }

    @Test
    void theConstructorKeepsTheFieldRules() {
        assertThatThrownBy(() -> new CatalogItem("i", CatalogItem.Operation.DELETE, 5, "books", null, List.of(), null, null, null, Map.of()))
                .hasMessageContaining("a delete carries only");
        assertThatThrownBy(() -> new CatalogItem("i", CatalogItem.Operation.UPSERT, 5, null, null, List.of(), null, null, true, Map.of()))
                .hasMessageContaining("creationTimestamp");
        assertThatThrownBy(() -> upsert(5, "a|b")).hasMessageContaining("category");
        assertThatThrownBy(() -> new CatalogItem("i", CatalogItem.Operation.UPSERT, 5, null, null, List.of("x", "x"), null, 1L, true, Map.of()))
                .hasMessageContaining("genres");
        assertThatThrownBy(() -> new CatalogItem("i", CatalogItem.Operation.UPSERT, 5, null, null, List.of(), Double.NaN, 1L, true, Map.of()))
                .hasMessageContaining("price");
        assertThat(CatalogItem.Operation.fromWire("delete")).isEqualTo(CatalogItem.Operation.DELETE);
        assertThat(CatalogItem.Operation.fromWire("Delete")).isNull();
    }
}
