package io.scimitar.index;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * A persistent hash map (a hash array mapped trie, after Bagwell and Clojure's PersistentHashMap):
 * {@link #put} and {@link #remove} return a new map that shares every node off the changed path,
 * so an update copies at most ~log32(n) small arrays (four for 100,000 keys) while readers of the
 * old map are undisturbed. Lookups do not allocate. Keys and values are never null.
 *
 * <p>Layout: a node holds a 32-bit bitmap of the occupied slots of its 5-bit digit and a packed
 * array of {@code key, value} pairs; a {@code null} key marks a pair whose value is a child node.
 * Keys whose whole 32-bit hashes are equal share a collision node.
 */
final class HashTrie<K, V> {

    private static final HashTrie<?, ?> EMPTY = new HashTrie<>(BitmapNode.EMPTY, 0);

    private final Node root;
    private final int size;

    private HashTrie(Node root, int size) {
        this.root = root;
        this.size = size;
    }

    @SuppressWarnings("unchecked")
    static <K, V> HashTrie<K, V> empty() {
        return (HashTrie<K, V>) EMPTY;
    }

    /**
     * The map of all of {@code entries}, built bottom-up in one pass: loading a snapshot of
     * 2,000,000 memberships this way allocates each node once instead of copying a path per key.
     */
    static <K, V> HashTrie<K, V> of(Map<K, V> entries) {
        Object[] keys = new Object[entries.size()];
        Object[] values = new Object[keys.length];
        int i = 0;
        for (Map.Entry<K, V> e : entries.entrySet()) {
            keys[i] = e.getKey();
            values[i] = e.getValue();
            i++;
        }
        return of(keys, values);
    }

    /**
     * The set of {@code keys} as a map from each key to itself (a group's members), built as
     * {@link #of(Map)}; the keys must be distinct.
     */
    static <K> HashTrie<K, K> ofKeys(K[] keys) {
        return of(keys, keys);
    }

    private static <K, V> HashTrie<K, V> of(Object[] keys, Object[] values) {
        int n = keys.length;
        if (n == 0) {
            return empty();
        }
        int[] hashes = new int[n];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            hashes[i] = hash(Objects.requireNonNull(keys[i], "key"));
            Objects.requireNonNull(values[i], "value");
            order[i] = i;
        }
        return new HashTrie<>(build(0, order, 0, n, keys, values, hashes), n);
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    @SuppressWarnings("unchecked")
    V get(Object key) {
        return (V) root.find(0, hash(key), key);
    }

    boolean containsKey(Object key) {
        return get(key) != null;
    }

    HashTrie<K, V> put(K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        int h = hash(key);
        boolean present = root.find(0, h, key) != null;
        Node next = root.put(0, h, key, value);
        return next == root ? this : new HashTrie<>(next, present ? size : size + 1);
    }

    HashTrie<K, V> remove(Object key) {
        int h = hash(key);
        if (root.find(0, h, key) == null) {
            return this;
        }
        Node next = root.remove(0, h, key);
        return next == null ? empty() : new HashTrie<>(next, size - 1);
    }

    @SuppressWarnings("unchecked")
    void forEach(BiConsumer<? super K, ? super V> action) {
        root.forEach((BiConsumer<Object, Object>) action);
    }

    /** The keys, in no particular order (a copy). */
    List<K> keys() {
        List<K> keys = new ArrayList<>(size);
        forEach((k, v) -> keys.add(k));
        return keys;
    }

    /** String hashes are weak in their low bits for short similar keys; mix the high half in, as HashMap does. */
    private static int hash(Object key) {
        int h = key.hashCode();
        return h ^ (h >>> 16);
    }

    private static int digit(int hash, int shift) {
        return (hash >>> shift) & 31;
    }

    private static Node build(int shift, int[] order, int from, int to, Object[] keys, Object[] values, int[] hashes) {
        int first = hashes[order[from]];
        boolean allEqual = true;
        for (int i = from + 1; i < to && allEqual; i++) {
            allEqual = hashes[order[i]] == first;
        }
        if (allEqual && to - from > 1) {
            Object[] kvs = new Object[2 * (to - from)];
            for (int i = from; i < to; i++) {
                kvs[2 * (i - from)] = keys[order[i]];
                kvs[2 * (i - from) + 1] = values[order[i]];
            }
            return new CollisionNode(first, kvs);
        }
        // Counting sort of order[from, to) by this level's digit.
        int[] counts = new int[33];
        for (int i = from; i < to; i++) {
            counts[digit(hashes[order[i]], shift) + 1]++;
        }
        for (int d = 0; d < 32; d++) {
            counts[d + 1] += counts[d];
        }
        int[] sorted = new int[to - from];
        int[] next = counts.clone();
        for (int i = from; i < to; i++) {
            sorted[next[digit(hashes[order[i]], shift)]++] = order[i];
        }
        System.arraycopy(sorted, 0, order, from, sorted.length);
        int bitmap = 0;
        int slots = 0;
        for (int d = 0; d < 32; d++) {
            if (counts[d + 1] > counts[d]) {
                bitmap |= 1 << d;
                slots++;
            }
        }
        Object[] array = new Object[2 * slots];
        int slot = 0;
        for (int d = 0; d < 32; d++) {
            int start = from + counts[d];
            int end = from + counts[d + 1];
            if (end - start == 1) {
                array[2 * slot] = keys[order[start]];
                array[2 * slot + 1] = values[order[start]];
                slot++;
            } else if (end - start > 1) {
                array[2 * slot + 1] = build(shift + 5, order, start, end, keys, values, hashes);
                slot++;
            }
        }
        return new BitmapNode(bitmap, array);
    }

    private abstract static sealed class Node permits BitmapNode, CollisionNode {
        abstract Object find(int shift, int hash, Object key);

        /** This node with {@code key → value}; {@code this} when nothing changes. */
        abstract Node put(int shift, int hash, Object key, Object value);

        /** This node without {@code key} (which is present); {@code null} when it becomes empty. */
        abstract Node remove(int shift, int hash, Object key);

        abstract void forEach(BiConsumer<Object, Object> action);

        /** The only entry's key when this node holds exactly one key-value pair, else null. */
        abstract Object singleKey();

        abstract Object singleValue();
    }

    private static final class BitmapNode extends Node {
        static final BitmapNode EMPTY = new BitmapNode(0, new Object[0]);

        final int bitmap;
        final Object[] array;

        BitmapNode(int bitmap, Object[] array) {
            this.bitmap = bitmap;
            this.array = array;
        }

        @Override
        Object find(int shift, int hash, Object key) {
            Node node = this;
            int s = shift;
            while (node instanceof BitmapNode b) {
                int bit = 1 << digit(hash, s);
                if ((b.bitmap & bit) == 0) {
                    return null;
                }
                int i = 2 * Integer.bitCount(b.bitmap & (bit - 1));
                Object k = b.array[i];
                if (k == null) {
                    node = (Node) b.array[i + 1];
                    s += 5;
                } else {
                    return k == key || k.equals(key) ? b.array[i + 1] : null;
                }
            }
            return node.find(s, hash, key);
        }

        @Override
        Node put(int shift, int hash, Object key, Object value) {
            int bit = 1 << digit(hash, shift);
            int i = 2 * Integer.bitCount(bitmap & (bit - 1));
            if ((bitmap & bit) == 0) {
                Object[] copy = new Object[array.length + 2];
                System.arraycopy(array, 0, copy, 0, i);
                copy[i] = key;
                copy[i + 1] = value;
                System.arraycopy(array, i, copy, i + 2, array.length - i);
                return new BitmapNode(bitmap | bit, copy);
            }
            Object k = array[i];
            Object v = array[i + 1];
            if (k == null) {
                Node child = ((Node) v).put(shift + 5, hash, key, value);
                return child == v ? this : with(i + 1, null, child);
            }
            if (k.equals(key)) {
                return v == value ? this : with(i + 1, k, value);
            }
            return with(i + 1, null, pair(shift + 5, k, v, hash, key, value));
        }

        @Override
        Node remove(int shift, int hash, Object key) {
            int bit = 1 << digit(hash, shift);
            int i = 2 * Integer.bitCount(bitmap & (bit - 1));
            Object k = array[i];
            if (k == null) {
                Node child = ((Node) array[i + 1]).remove(shift + 5, hash, key);
                if (child == null) {
                    return without(bit, i);
                }
                Object only = child.singleKey();
                // Pull a lone survivor up, so removals do not leave chains of one-entry nodes behind.
                return only != null ? with(i + 1, only, child.singleValue()) : with(i + 1, null, child);
            }
            return without(bit, i);
        }

        private Node without(int bit, int i) {
            if (bitmap == bit) {
                return null;
            }
            Object[] copy = new Object[array.length - 2];
            System.arraycopy(array, 0, copy, 0, i);
            System.arraycopy(array, i + 2, copy, i, array.length - i - 2);
            return new BitmapNode(bitmap & ~bit, copy);
        }

        private BitmapNode with(int valueIndex, Object key, Object value) {
            Object[] copy = array.clone();
            copy[valueIndex - 1] = key;
            copy[valueIndex] = value;
            return new BitmapNode(bitmap, copy);
        }

        @Override
        void forEach(BiConsumer<Object, Object> action) {
            for (int i = 0; i < array.length; i += 2) {
                if (array[i] == null) {
                    ((Node) array[i + 1]).forEach(action);
                } else {
                    action.accept(array[i], array[i + 1]);
                }
            }
        }

        @Override
        Object singleKey() {
            return array.length == 2 ? array[0] : null;
        }

        @Override
        Object singleValue() {
            return array[1];
        }
    }

    private static final class CollisionNode extends Node {
        final int hash;
        final Object[] kvs;

        CollisionNode(int hash, Object[] kvs) {
            this.hash = hash;
            this.kvs = kvs;
        }

        @Override
        Object find(int shift, int hash, Object key) {
            if (hash != this.hash) {
                return null;
            }
            for (int i = 0; i < kvs.length; i += 2) {
                if (kvs[i].equals(key)) {
                    return kvs[i + 1];
                }
            }
            return null;
        }

        @Override
        Node put(int shift, int hash, Object key, Object value) {
            if (hash != this.hash) {
                // A different hash: this collision node becomes one slot of a bitmap node at this level.
                Node wrapped = new BitmapNode(1 << digit(this.hash, shift), new Object[] {null, this});
                return wrapped.put(shift, hash, key, value);
            }
            for (int i = 0; i < kvs.length; i += 2) {
                if (kvs[i].equals(key)) {
                    if (kvs[i + 1] == value) {
                        return this;
                    }
                    Object[] copy = kvs.clone();
                    copy[i + 1] = value;
                    return new CollisionNode(hash, copy);
                }
            }
            Object[] copy = new Object[kvs.length + 2];
            System.arraycopy(kvs, 0, copy, 0, kvs.length);
            copy[kvs.length] = key;
            copy[kvs.length + 1] = value;
            return new CollisionNode(hash, copy);
        }

        @Override
        Node remove(int shift, int hash, Object key) {
            if (kvs.length == 2) {
                return null;
            }
            Object[] copy = new Object[kvs.length - 2];
            int j = 0;
            for (int i = 0; i < kvs.length; i += 2) {
                if (!kvs[i].equals(key)) {
                    copy[j++] = kvs[i];
                    copy[j++] = kvs[i + 1];
                }
            }
            return new CollisionNode(hash, copy);
        }

        @Override
        void forEach(BiConsumer<Object, Object> action) {
            for (int i = 0; i < kvs.length; i += 2) {
                action.accept(kvs[i], kvs[i + 1]);
            }
        }

        @Override
        Object singleKey() {
            return kvs.length == 2 ? kvs[0] : null;
        }

        @Override
        Object singleValue() {
            return kvs[1];
        }
    }

    private static Node pair(int shift, Object k1, Object v1, int h2, Object k2, Object v2) {
        int h1 = hash(k1);
        if (h1 == h2) {
            return new CollisionNode(h1, new Object[] {k1, v1, k2, v2});
        }
        return BitmapNode.EMPTY.put(shift, h1, k1, v1).put(shift, h2, k2, v2);
    }
}
