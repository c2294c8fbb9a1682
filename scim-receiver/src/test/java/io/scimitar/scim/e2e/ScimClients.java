package io.scimitar.scim.e2e;

import com.unboundid.scim2.client.ScimService;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.ClientRequestFilter;
import org.glassfish.jersey.apache5.connector.Apache5ConnectorProvider;
import org.glassfish.jersey.client.ClientConfig;

/**
 * UnboundID's SCIM 2 client pointed at a {@link ReceiverFixture} of its own, over Jersey with the
 * Apache 5 connector: the JDK connector cannot send PATCH on JDK 25 (see TOOLS.md). Closing it
 * closes the client, then the receiver, so a test class holds one {@code @AutoClose} field.
 */
final class ScimClients implements AutoCloseable {

    final ReceiverFixture receiver;
    final Client jersey;
    final ScimService scim;

    private ScimClients(ReceiverFixture receiver) {
        this.receiver = receiver;
        ClientConfig config = new ClientConfig().connectorProvider(new Apache5ConnectorProvider());
        jersey = ClientBuilder.newClient(config).register((ClientRequestFilter) request ->
                request.getHeaders().putSingle("Authorization", "Bearer " + receiver.token()));
        scim = new ScimService(jersey.target(receiver.baseUrl()));
    }

    /** Starts a fresh, empty receiver and the clients for it. */
    static ScimClients onNewReceiver() {
        ReceiverFixture receiver = ReceiverFixture.start();
        try {
            return new ScimClients(receiver);
        } catch (RuntimeException e) {
            receiver.close();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            jersey.close();
        } finally {
            receiver.close();
        }
    }
}
