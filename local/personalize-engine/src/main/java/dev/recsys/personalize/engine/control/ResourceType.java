package dev.recsys.personalize.engine.control;

/** One resource kind's control-plane operations; the control plane runs each holding the store's lock. */
interface ResourceType {

    void register(Operations operations);
}
