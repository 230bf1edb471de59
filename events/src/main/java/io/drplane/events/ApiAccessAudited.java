package io.drplane.events;

import jakarta.annotation.Nullable;
import java.time.Instant;

/**
 * A request to the coordinator's API that was refused (no token, an unknown one, or one without the right), or a
 * change it accepted: who, from where, what, and the answer. Never the token itself.
 *
 * @param principal the token's holder, or {@code anonymous} when no known token was given
 * @param source    the caller's address as the server saw it
 * @param group     the group the request was about, if any
 * @param status    the HTTP status answered
 */
public record ApiAccessAudited(
        String principal,
        String source,
        String method,
        String path,
        @Nullable String group,
        int status,
        AuditOutcome outcome,
        Instant at)
        implements EventData {

    /** The group when the request was about one, so a group's audit trail is one key; {@code api} otherwise. */
    @Override
    public String subject() {
        return group != null ? group : "api";
    }
}
