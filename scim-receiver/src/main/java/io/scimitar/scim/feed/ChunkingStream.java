package io.scimitar.scim.feed;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * Cuts what is written into {@link SnapshotResponse#CHUNK_BYTES} chunks and hands each one on, full,
 * to {@link #emit}; {@link #emitRest()} hands on the last, partial one. A chunk handed on is never
 * written to again, so it may be shared as it is.
 */
abstract class ChunkingStream extends OutputStream {

    private byte[] buffer = new byte[SnapshotResponse.CHUNK_BYTES];
    private int size;

    /** Takes one chunk; an exception from here ends the write that filled it. */
    protected abstract void emit(byte[] chunk);

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        while (length > 0) {
            if (size == buffer.length) {
                emit(buffer);
                buffer = new byte[SnapshotResponse.CHUNK_BYTES];
                size = 0;
            }
            int n = Math.min(length, buffer.length - size);
            System.arraycopy(bytes, offset, buffer, size, n);
            size += n;
            offset += n;
            length -= n;
        }
    }

    /** Hands on the last, partial chunk, if any. */
    void emitRest() {
        if (size > 0) {
            emit(Arrays.copyOf(buffer, size));
            size = 0;
        }
    }
}
