package io.sluice.store;

import com.zaxxer.hikari.HikariDataSource;
import io.sluice.testkit.RealServers;
import java.util.function.Consumer;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;

/** A schema an upgrade test migrates step by step, apart from the one the other tests share. */
record SchemaOfItsOwn(RealServers.Endpoints servers, String name) {

    /** Runs the test on the schema, created empty for it and dropped after it. */
    static void use(String name, Consumer<SchemaOfItsOwn> test) {
        SchemaOfItsOwn schema = new SchemaOfItsOwn(RealServers.get(), name);
        try (HikariDataSource publicSchema = schema.dataSource("public")) {
            JdbcTemplate admin = new JdbcTemplate(publicSchema);
            admin.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
            try {
                test.accept(schema);
            } finally {
                admin.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
            }
        }
    }

    void migrateTo(String target) {
        Flyway.configure()
                .dataSource(servers.jdbcUrl(), servers.username(), servers.password())
                .schemas(name)
                .locations("classpath:db/migration")
                .target(target)
                .load()
                .migrate();
    }

    HikariDataSource dataSource() {
        return dataSource(name);
    }

    HikariDataSource dataSource(String schema) {
        HikariDataSource dataSource = new HikariDataSource();
        String url = servers.jdbcUrl();
        dataSource.setJdbcUrl(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema);
        dataSource.setUsername(servers.username());
        dataSource.setPassword(servers.password());
        dataSource.setMaximumPoolSize(2);
        return dataSource;
    }
}
