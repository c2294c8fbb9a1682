package io.scimitar.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Example;

/**
 * The persistent trie behaves as a HashMap under random puts and removes, including keys whose
 * hashes collide fully ("Aa" and "BB") or share long prefixes, and every earlier version stays as it was.
 */
class HashTrieTest {

    /** Keys built from "Aa"/"BB" blocks all share one String hash per length: full collisions. */
    private static final List<String> KEYS = List.of("Aa", "BB", "AaAa", "AaBB", "BBAa", "BBBB",
            "a", "b", "c", "user-1", "user-2", "user-33", "group-7", "", "x".repeat(40));

    record Op(boolean put, String key, int value) {
    }

    @Property(tries = 300)
    void behavesAsAHashMapAndKeepsEveryOldVersion(@ForAll("ops") List<Op> ops) {
        HashTrie<String, Integer> trie = HashTrie.empty();
        Map<String, Integer> model = new HashMap<>();
        for (Op op : ops) {
            HashTrie<String, Integer> before = trie;
            Map<String, Integer> modelBefore = new HashMap<>(model);
            if (op.put()) {
                trie = trie.put(op.key(), op.value());
                model.put(op.key(), op.value());
            } else {
                trie = trie.remove(op.key());
                model.remove(op.key());
            }
            assertSame(trie, model);
            assertSame(before, modelBefore);
        }
        assertSame(HashTrie.of(model), model);
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<String> key = Arbitraries.oneOf(Arbitraries.of(KEYS),
                Arbitraries.integers().between(0, 2000).map(i -> "k" + i));
        return Combinators.combine(Arbitraries.frequency(net.jqwik.api.Tuple.of(3, true), net.jqwik.api.Tuple.of(1, false)),
                key, Arbitraries.integers().between(0, 3)).as(Op::new).list().ofMaxSize(400);
    }

    @Example
    void aBulkBuiltTrieOfManyKeysFindsEachAndSurvivesRemovals() {
        Map<String, Integer> model = new HashMap<>();
        for (int i = 0; i < 50_000; i++) {
            model.put("user-" + i, i);
        }
        HashTrie<String, Integer> trie = HashTrie.of(model);
        assertSame(trie, model);
        for (int i = 0; i < 50_000; i += 3) {
            trie = trie.remove("user-" + i);
            model.remove("user-" + i);
        }
        assertSame(trie, model);
    }

    private static void assertSame(HashTrie<String, Integer> trie, Map<String, Integer> model) {
        assertThat(trie.size()).isEqualTo(model.size());
        model.forEach((k, v) -> assertThat(trie.get(k)).as("get(%s)", k).isEqualTo(v));
        for (String k : KEYS) {
            assertThat(trie.get(k)).as("get(%s)", k).isEqualTo(model.get(k));
        }
        Map<String, Integer> iterated = new HashMap<>();
        trie.forEach(iterated::put);
        assertThat(iterated).isEqualTo(model);
    }
}
