package io.drplane.backupscheduler.validate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which driver an RDS engine takes, always in a read-only session. */
class SqlValidatorTest {

    @Test
    void shouldPickTheDriverByTheEngineRdsReports() {
        assertThat(SqlValidator.url("aurora-postgresql", "h:5432", "shop"))
                .contains("jdbc:postgresql://h:5432/shop?readOnly=true&readOnlyMode=always");
        assertThat(SqlValidator.url("mysql", "h:3306", "shop"))
                .contains("jdbc:mariadb://h:3306/shop?assureReadOnly=true");
        assertThat(SqlValidator.url("aurora-mysql", "h:3306", "shop")).isPresent();
        assertThat(SqlValidator.url("mariadb", "h:3306", "shop")).isPresent();
        assertThat(SqlValidator.url("sqlserver-ee", "h:1433", "shop")).isEmpty();
    }
}
