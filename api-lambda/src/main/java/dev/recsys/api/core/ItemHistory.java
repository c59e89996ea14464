package dev.recsys.api.core;

/**
 * Whether an item was ever interacted with. A related-items model cannot relate an item it never saw
 * (Personalize then returns popular items without saying so); the interactions table can tell.
 */
@FunctionalInterface
public interface ItemHistory {

    /** When no interactions table is configured every item counts as known and the model decides. */
    ItemHistory ASSUME_KNOWN = itemId -> true;

    /** True when the item has interactions, or when it cannot be determined (never degrade on doubt). */
    boolean isKnown(String itemId);
}
