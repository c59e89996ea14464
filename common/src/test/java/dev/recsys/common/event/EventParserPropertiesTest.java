package dev.recsys.common.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class EventParserPropertiesTest {

    static final long NOW = 1_780_000_000_000L;
    final EventParser parser = new EventParser(EventLimits.DEFAULT, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
    final RecordOrigin origin = new RecordOrigin("shardId-0", "1", 0, NOW);

    @Property(tries = 2000)
    void neverThrowsOnArbitraryBytes(@ForAll @Size(max = 600) byte[] data) {
        ParseResult r = parser.parse(data, origin);
        assertThat(r).isNotNull();
        if (r instanceof ParseResult.Rejected rej) assertThat(rej.detail()).isNotBlank();
    }

    @Property(tries = 1000)
    void neverThrowsOnMutatedValidJson(@ForAll("validEvents") InteractionEvent e, @ForAll int position, @ForAll char replacement) {
        byte[] json = EventJson.toBytes(e);
        json[Math.floorMod(position, json.length)] = (byte) replacement;
        assertThat(parser.parse(json, origin)).isNotNull();
    }

    @Property(tries = 1000)
    void validEventsRoundTripThroughCanonicalJson(@ForAll("validEvents") InteractionEvent e) {
        ParseResult r = parser.parse(EventJson.toJson(e).getBytes(StandardCharsets.UTF_8), origin);
        assertThat(r).isEqualTo(new ParseResult.Accepted(e));
    }

    @Provide
    Arbitrary<InteractionEvent> validEvents() {
        Arbitrary<String> ids = Arbitraries.strings().withChars("abcXYZ019_.:@/+=-").ofMinLength(0).ofMaxLength(40)
                .map(s -> "a" + s);
        Arbitrary<String> types = Arbitraries.of("view", "click", "purchase", "add_to_cart");
        Arbitrary<Double> values = Arbitraries.doubles().between(-1e6, 1e6).injectNull(0.3);
        Arbitrary<Long> times = Arbitraries.longs().between(NOW - 300L * 86_400_000, NOW);
        Arbitrary<String> sessions = Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(30).injectNull(0.3);
        Arbitrary<Map<String, String>> props = Arbitraries.maps(
                Arbitraries.strings().withChars("abc_").ofMinLength(1).ofMaxLength(8).map(s -> "p" + s),
                Arbitraries.strings().ofMaxLength(20).filter(s -> s.chars().noneMatch(Character::isISOControl))).ofMaxSize(5);
        return Combinators.combine(ids, ids, ids, types, values, times, sessions, props)
                .as((id, u, i, t, v, ts, s, p) -> new InteractionEvent(id, u, i, t, v, ts, s, p));
    }
}
