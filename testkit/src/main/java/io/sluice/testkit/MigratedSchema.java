package io.sluice.testkit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

/**
 * A schema of its own in the real PostgreSQL of {@link RealServers}, migrated by Flyway with
 * the project's migrations ({@code classpath:db/migration}), for tests that use the stores
 * without a Spring context. Tests sharing it isolate themselves by organization.
 */
public final class MigratedSchema {

    private MigratedSchema() {
    }

    /**
     * Migrates {@code schema} and opens a pool whose sessions use it.
     *
     * @param initSql run on each new connection (e.g. a session time zone), or null
     */
    public static HikariDataSource open(String schema, int poolSize, String initSql) {
        RealServers.Endpoints servers = RealServers.get();
        Flyway.configure()
                .dataSource(servers.jdbcUrl(), servers.username(), servers.password())
                .schemas(schema)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        HikariConfig config = new HikariConfig();
        String url = servers.jdbcUrl();
        config.setJdbcUrl(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema);
        config.setUsername(servers.username());
        config.setPassword(servers.password());
        if (initSql != null) {
            config.setConnectionInitSql(initSql);
        }
        config.setMaximumPoolSize(poolSize);
        config.setPoolName(schema);
        return new HikariDataSource(config);
    }
}
