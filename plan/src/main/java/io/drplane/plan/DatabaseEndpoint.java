package io.drplane.plan;

import jakarta.annotation.Nullable;

/**
 * How the replication tracker reaches one database. The password is never written in the plan: it is a reference,
 * {@code env:NAME} (an environment variable) or {@code secretsmanager:ID} (an AWS Secrets Manager secret, the whole
 * string or its {@code password} field), resolved when the tracker connects.
 */
public record DatabaseEndpoint(String jdbcUrl, @Nullable String username, @Nullable String password) {

    @Override
    public String toString() {
        return "DatabaseEndpoint[" + jdbcUrl + ", user " + username + ", password "
                + (password == null ? "none" : "by reference") + "]";
    }
}
