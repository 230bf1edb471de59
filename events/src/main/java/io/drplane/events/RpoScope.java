package io.drplane.events;

/** What an RPO figure is about. */
public enum RpoScope {
    REPLICATION_LINK,
    BACKUP_RULE
}
