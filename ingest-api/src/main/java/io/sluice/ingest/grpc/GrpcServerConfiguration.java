package io.sluice.ingest.grpc;

import io.grpc.netty.NettyServerBuilder;
import java.util.concurrent.Executors;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.server.ServerBuilderCustomizer;

/**
 * The gRPC server, started by Spring gRPC on {@code spring.grpc.server.port}. It carries
 * the standard health service ({@link GrpcReadinessReporter}); the job services join it.
 */
@Configuration(proxyBeanMethods = false)
public class GrpcServerConfiguration {

    /**
     * Handlers will block on PostgreSQL commits and Kafka acks, and a streaming producer
     * holds its call open; virtual threads make both cheap whatever the number of streams.
     */
    @Bean
    ServerBuilderCustomizer<NettyServerBuilder> virtualThreadExecutor() {
        return builder -> builder.executor(Executors.newVirtualThreadPerTaskExecutor());
    }
}
