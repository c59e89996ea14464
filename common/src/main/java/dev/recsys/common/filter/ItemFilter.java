package dev.recsys.common.filter;

/** A filter expression bound to one request's values. */
@FunctionalInterface
public interface ItemFilter {

    ItemFilter KEEP_ALL = (itemId, inputs) -> true;

    boolean keeps(String itemId, FilterInputs inputs);
}
