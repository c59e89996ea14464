package dev.recsys.personalize.engine.control;

/** Filters: not implemented yet, so CreateFilter is refused with a clear InvalidInputException. */
final class Filters implements ResourceType {

    @Override
    public void register(Operations ops) {
        ops.add("CreateFilter", r -> {
            throw ServiceException.invalid("Filters are not supported by the local Personalize engine");
        });
    }
}
