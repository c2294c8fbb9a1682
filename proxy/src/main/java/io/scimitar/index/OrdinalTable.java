package io.scimitar.index;

import java.util.Arrays;
import java.util.function.ObjIntConsumer;

/**
 * A persistent array indexed by dense int ordinals: a top array of fixed 256-slot chunks, where
 * {@link #set} copies the top array and one chunk. With 10,000 groups that is 40 references and
 * one chunk per group change, and {@link #get} is two array loads.
 */
final class OrdinalTable<T> {

    private static final int BITS = 8;
    private static final int CHUNK = 1 << BITS;
    private static final OrdinalTable<?> EMPTY = new OrdinalTable<>(new Object[0][], 0);

    private final Object[][] chunks;
    private final int count;

    private OrdinalTable(Object[][] chunks, int count) {
        this.chunks = chunks;
        this.count = count;
    }

    @SuppressWarnings("unchecked")
    static <T> OrdinalTable<T> empty() {
        return (OrdinalTable<T>) EMPTY;
    }

    /** The table holding {@code values[i]} at ordinal i (null slots stay empty). */
    static <T> OrdinalTable<T> of(T[] values) {
        Object[][] chunks = new Object[(values.length + CHUNK - 1) >>> BITS][];
        int count = 0;
        for (int c = 0; c < chunks.length; c++) {
            chunks[c] = Arrays.copyOfRange(values, c << BITS, (c + 1) << BITS, Object[].class);
        }
        for (T value : values) {
            if (value != null) {
                count++;
            }
        }
        return new OrdinalTable<>(chunks, count);
    }

    /** The value at {@code ordinal}, or null when none (also for negative and never-used ordinals). */
    @SuppressWarnings("unchecked")
    T get(int ordinal) {
        int c = ordinal >>> BITS;
        return ordinal >= 0 && c < chunks.length ? (T) chunks[c][ordinal & (CHUNK - 1)] : null;
    }

    /** A table with {@code value} (null to clear) at {@code ordinal}, sharing every other chunk. */
    OrdinalTable<T> set(int ordinal, T value) {
        if (ordinal < 0) {
            throw new IllegalArgumentException("negative ordinal " + ordinal);
        }
        int c = ordinal >>> BITS;
        Object[][] top = Arrays.copyOf(chunks, Math.max(chunks.length, c + 1));
        for (int i = chunks.length; i < c; i++) {
            top[i] = new Object[CHUNK];
        }
        Object[] chunk = top[c] == null ? new Object[CHUNK] : top[c].clone();
        Object old = chunk[ordinal & (CHUNK - 1)];
        chunk[ordinal & (CHUNK - 1)] = value;
        top[c] = chunk;
        int delta = (old == null ? 0 : -1) + (value == null ? 0 : 1);
        return new OrdinalTable<>(top, count + delta);
    }

    /** The number of non-empty slots. */
    int count() {
        return count;
    }

    @SuppressWarnings("unchecked")
    void forEach(ObjIntConsumer<T> action) {
        for (int c = 0; c < chunks.length; c++) {
            Object[] chunk = chunks[c];
            for (int i = 0; i < CHUNK; i++) {
                if (chunk[i] != null) {
                    action.accept((T) chunk[i], (c << BITS) | i);
                }
            }
        }
    }
}
