package io.scimitar.index;

/**
 * Told about every swap of a {@link DirectoryIndex}, in version order, on the thread that applied
 * it (the change log's committing thread, or the feed's): hand long work to another thread. This is
 * how revocation reaches open WebSocket and HTTP/2 connections.
 */
@FunctionalInterface
public interface IndexListener {

    void indexUpdated(IndexUpdate update);
}
