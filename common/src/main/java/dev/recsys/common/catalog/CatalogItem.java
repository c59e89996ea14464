package dev.recsys.common.catalog;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One catalog record of the stream ({@code "record_type": "item"}, partition key = the item): an upsert carries the
 * item's whole current state, a delete only its id and time. The {@code items} table keeps, per item, the record
 * with the greatest {@link #revision()}, whatever order records arrive or are replayed in; a delete stays as a
 * tombstone so an older upsert cannot bring the item back.
 *
 * @param updatedAt         epoch ms of the change at the producer: later wins
 * @param category          upserts: optional categorical value
 * @param brand             upserts: optional categorical value
 * @param genres            upserts: categorical values, possibly empty; empty for a delete
 * @param price             upserts: optional, {@code 0..MAX_PRICE}
 * @param creationTimestamp upserts: required, epoch ms; null for a delete
 * @param available         upserts: required; null for a delete
 * @param display           upserts: free-form strings by key, possibly empty; empty for a delete
 */
public record CatalogItem(String itemId, Operation operation, long updatedAt, String category, String brand,
                          List<String> genres, Double price, Long creationTimestamp, Boolean available,
                          Map<String, String> display) {

    public enum Operation {
        UPSERT("upsert"), DELETE("delete");

        private final String wire;

        Operation(String wire) {
            this.wire = wire;
        }

        /** The value of {@link CatalogFields#OPERATION} on the stream. */
        public String wire() {
            return wire;
        }

        /** @return the operation of that wire name, or null when there is none */
        public static Operation fromWire(String value) {
            for (Operation o : values()) if (o.wire.equals(value)) return o;
            return null;
        }
    }

    public CatalogItem {
        Objects.requireNonNull(itemId, "itemId");
        Objects.requireNonNull(operation, "operation");
        if (updatedAt < 0) throw new IllegalArgumentException("updatedAt must be >= 0");
        genres = List.copyOf(genres);
        display = java.util.Collections.unmodifiableMap(new TreeMap<>(display)); // sorted: one canonical form
        if (operation == Operation.DELETE) {
            if (category != null || brand != null || !genres.isEmpty() || price != null || creationTimestamp != null
                    || available != null || !display.isEmpty()) {
                throw new IllegalArgumentException("a delete carries only the item id and its time");
            }
        } else {
            Objects.requireNonNull(creationTimestamp, "creationTimestamp");
            Objects.requireNonNull(available, "available");
            if (category != null && !CatalogLimits.isCategorical(category)) throw new IllegalArgumentException("category " + category);
            if (brand != null && !CatalogLimits.isCategorical(brand)) throw new IllegalArgumentException("brand " + brand);
            if (genres.size() > CatalogLimits.MAX_GENRES || !genres.stream().allMatch(CatalogLimits::isCategorical)
                    || genres.stream().distinct().count() != genres.size()) {
                throw new IllegalArgumentException("genres " + genres);
            }
            if (price != null && !(price >= 0 && price <= CatalogLimits.MAX_PRICE)) throw new IllegalArgumentException("price " + price);
            if (display.size() > CatalogLimits.MAX_DISPLAY_FIELDS) throw new IllegalArgumentException("display has " + display.size() + " fields");
            display.forEach((k, v) -> {
                if (!CatalogLimits.DISPLAY_KEY.matcher(k).matches() || !CatalogLimits.isDisplayValue(v)) {
                    throw new IllegalArgumentException("display field " + k);
                }
            });
        }
    }

    public static CatalogItem delete(String itemId, long updatedAt) {
        return new CatalogItem(itemId, Operation.DELETE, updatedAt, null, null, List.of(), null, null, null, Map.of());
    }

    public boolean isDelete() {
        return operation == Operation.DELETE;
    }

    /** This record's place in the item's order ({@link Revision}: update time, operation, content digest). */
    public String revision() {
        StringBuilder canonical = new StringBuilder().append(itemId).append('\0').append(operation.wire()).append('\0')
                .append(category).append('\0').append(brand).append('\0').append(String.join("\u0001", genres)).append('\0')
                .append(price == null ? "null" : Double.toString(price)).append('\0').append(creationTimestamp).append('\0')
                .append(available).append('\0');
        display.forEach((k, v) -> canonical.append(k).append('\u0001').append(v).append('\u0002'));
        return Revision.of(updatedAt, isDelete(), canonical.toString());
    }
}
