package dev.recsys.consumer.attribution;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Stored exposures, read strongly consistent (the fast tier wrote this window's before). */
public interface ExposureLookup {

    /** A user's answer by its recommendation id. */
    record ById(String userId, String recommendationId) {}

    /** An interval of exposure times, inclusive. */
    record Interval(long from, long to) {}

    Map<ById, ExposureRef> byIds(Collection<ById> ids);

    /** The time of each user's latest stored exposure; users never shown anything are absent. */
    Map<String, Long> latest(Collection<String> users);

    /** Each user's exposures in the interval, any order. */
    Map<String, List<ExposureRef>> recent(Map<String, Interval> intervalByUser);
}
