package io.scimitar.index;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A persistent multimap from a normalized key (a lower-cased userName, an email, an externalId) to
 * the ids filed under it. Most keys name one id, stored as the bare String; a key shared by several
 * resources holds a sorted {@code String[]}, and {@link #unique} refuses it: a claim or a policy
 * reference that matches two users or two groups identifies nobody.
 */
final class KeyMap {

    static final KeyMap EMPTY = new KeyMap(HashTrie.empty());

    private final HashTrie<String, Object> trie;

    private KeyMap(HashTrie<String, Object> trie) {
        this.trie = trie;
    }

    /** The id filed alone under {@code key}; null when none or several are. Does not allocate. */
    String unique(String key) {
        return trie.get(key) instanceof String id ? id : null;
    }

    /** How many ids are filed under {@code key}. */
    int count(String key) {
        Object value = trie.get(key);
        return value == null ? 0 : value instanceof String ? 1 : ((String[]) value).length;
    }

    KeyMap add(String key, String id) {
        Object value = trie.get(key);
        if (value == null) {
            return new KeyMap(trie.put(key, id));
        }
        Object next = with(value, id);
        return next == value ? this : new KeyMap(trie.put(key, next));
    }

    /** {@code ids} (a String or a sorted String[]) with {@code id} added; the same object if already there. */
    private static Object with(Object ids, String id) {
        if (ids instanceof String one) {
            int order = one.compareTo(id);
            return order == 0 ? one : order < 0 ? new String[] {one, id} : new String[] {id, one};
        }
        String[] sorted = (String[]) ids;
        int at = Arrays.binarySearch(sorted, id);
        if (at >= 0) {
            return ids;
        }
        int insert = -at - 1;
        String[] next = new String[sorted.length + 1];
        System.arraycopy(sorted, 0, next, 0, insert);
        next[insert] = id;
        System.arraycopy(sorted, insert, next, insert + 1, sorted.length - insert);
        return next;
    }

    KeyMap remove(String key, String id) {
        Object value = trie.get(key);
        if (value == null) {
            return this;
        }
        if (value instanceof String one) {
            return one.equals(id) ? new KeyMap(trie.remove(key)) : this;
        }
        String[] ids = (String[]) value;
        int at = Arrays.binarySearch(ids, id);
        if (at < 0) {
            return this;
        }
        if (ids.length == 2) {
            return new KeyMap(trie.put(key, ids[1 - at]));
        }
        String[] next = new String[ids.length - 1];
        System.arraycopy(ids, 0, next, 0, at);
        System.arraycopy(ids, at + 1, next, at, ids.length - at - 1);
        return new KeyMap(trie.put(key, next));
    }

    /** Collects filings for a one-pass build. */
    static final class Builder {
        private final Map<String, Object> entries = new HashMap<>();

        void add(String key, String id) {
            entries.merge(key, id, (old, fresh) -> with(old, id));
        }

        KeyMap build() {
            return new KeyMap(HashTrie.of(entries));
        }
    }
}
