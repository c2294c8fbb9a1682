package io.scimitar.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.scim.error.ScimException;
import io.scimitar.scim.schema.ResourceType;
import io.scimitar.scim.service.ListResult;
import io.scimitar.scim.service.Projection;
import io.scimitar.scim.service.ScimResource;
import io.scimitar.scim.service.ScimService;
import io.scimitar.scim.service.SearchRequest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A directory at a fixed version whose service knows no resources, for tests of the command line:
 * discovery endpoints answer without it. Records whether the server had stopped accepting when the
 * store was closed.
 */
final class FakeDirectory implements OpenDirectory {

    private final long version;
    final AtomicInteger serverPort = new AtomicInteger();
    final AtomicBoolean closed = new AtomicBoolean();
    final AtomicBoolean serverAcceptedWhenClosed = new AtomicBoolean();

    FakeDirectory(long version) {
        this.version = version;
    }

    @Override
    public ScimService service() {
        return new ScimService() {
            @Override
            public ScimResource create(ResourceType type, ObjectNode body, Projection projection) {
                throw ScimException.notFound("no directory in this test");
            }

            @Override
            public ScimResource get(ResourceType type, String id, Projection projection) {
                throw ScimException.notFound("no directory in this test");
            }

            @Override
            public ScimResource replace(ResourceType type, String id, ObjectNode body, Optional<String> ifMatch,
                    Projection projection) {
                throw ScimException.notFound("no directory in this test");
            }

            @Override
            public ScimResource patch(ResourceType type, String id, ObjectNode patchOp, Optional<String> ifMatch,
                    Projection projection) {
                throw ScimException.notFound("no directory in this test");
            }

            @Override
            public void delete(ResourceType type, String id, Optional<String> ifMatch) {
                throw ScimException.notFound("no directory in this test");
            }

            @Override
            public ListResult search(SearchRequest request) {
                throw ScimException.notFound("no directory in this test");
            }
        };
    }

    @Override
    public long version() {
        return version;
    }

    @Override
    public void close() {
        int port = serverPort.get();
        if (port > 0) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                serverAcceptedWhenClosed.set(true);
            } catch (IOException expected) {
                serverAcceptedWhenClosed.set(false);
            }
        }
        closed.set(true);
    }
}
