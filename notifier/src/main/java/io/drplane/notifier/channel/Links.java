package io.drplane.notifier.channel;

import java.net.URI;
import java.util.Optional;

/** Where a person reads more: the drplane API's view of a group, when its address is configured. */
public record Links(Optional<URI> api) {

    public static final Links NONE = new Links(Optional.empty());

    public Optional<String> group(String group) {
        return api.map(base -> base.resolve("/groups/" + group).toString());
    }
}
