package dev.recsys.personalize.engine.catalog;

/** How one Items-dataset field is read: categorical values, a number, or a display value only. */
public record ItemField(boolean nullable, boolean categorical, boolean numeric) {}
