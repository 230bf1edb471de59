package io.drplane.events;

/** What the API did with a request it audits. */
public enum AuditOutcome {
    /** A change was accepted (written as an operator event) or answered (409, 404...): the caller had the right. */
    CHANGE_ANSWERED,
    /** No bearer token, or one no entry holds: 401. */
    REFUSED_UNAUTHENTICATED,
    /** A known token without the right the request needs: 403. */
    REFUSED_FORBIDDEN
}
