package io.scimitar.cli;

import io.scimitar.scim.service.ScimService;

/** A directory ready to serve: the SCIM service over an open store. Closing it closes the store. */
public interface OpenDirectory extends AutoCloseable {

    ScimService service();

    /** The version of the last committed change, 0 for an empty directory. */
    long version();

    @Override
    void close();
}
