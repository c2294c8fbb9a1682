package io.scimitar.scim.filter;

import java.util.Optional;

/**
 * The {@code path} of a PATCH operation (RFC 7644 §3.5.2): {@code attrPath} or
 * {@code valuePath [ "." subAttr ]}, e.g. {@code members[value eq "2819c223"]} or
 * {@code emails[type eq "work"].value}.
 *
 * @param attribute    the attribute, possibly with a sub-attribute when there is no filter
 * @param valueFilter  the filter selecting elements of a multi-valued attribute
 * @param subAttribute the sub-attribute after a value filter, or the empty string
 */
public record PatchPath(AttributePath attribute, Optional<Filter> valueFilter, String subAttribute) {

    public PatchPath {
        subAttribute = subAttribute == null ? "" : subAttribute;
    }
}
