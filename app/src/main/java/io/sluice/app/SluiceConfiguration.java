package io.sluice.app;

import io.sluice.core.delivery.RetryPolicy;
import io.sluice.core.delivery.RetrySchedule;
import io.sluice.store.JobDefaults;
import io.sluice.core.job.Uuid7;
import io.sluice.core.kafka.TopicSpec;
import io.sluice.core.kafka.Topics;
import io.sluice.core.net.SsrfGuard;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/** Beans every module shares: time, ids, randomness, the topic catalog and the SSRF guard. */
@Configuration
public class SluiceConfiguration {

    /**
     * Topic settings ({@code sluice.kafka.*}).
     *
     * @param replicationFactor 1 for the embedded single broker; 3 on a production cluster
     */
    @ConfigurationProperties("sluice.kafka")
    public record KafkaTopicsProperties(
            @DefaultValue("sluice") String topicPrefix,
            @DefaultValue("12") int deliveryPartitions,
            @DefaultValue("12") int eventPartitions,
            @DefaultValue("1") short replicationFactor,
            @DefaultValue("30d") Duration deadLetterRetention) {
    }

    /**
     * When failed deliveries are tried again ({@code sluice.retry.*}).
     *
     * @param tiers    the delays there is a topic for ({@code sluice.retry.<delay>}), comma-separated
     * @param schedule the default delays before the 2nd, 3rd ... attempt, each one of the tiers;
     *                 its length is the default {@code max_retries}
     */
    @ConfigurationProperties("sluice.retry")
    public record RetryProperties(
            @DefaultValue(RetrySchedule.DEFAULT_TIERS) String tiers,
            @DefaultValue(RetrySchedule.DEFAULT_DELAYS) String schedule) {
    }

    /** Checked at start: a schedule naming a delay without a tier fails the start with a clear message. */
    @Bean
    RetrySchedule retrySchedule(RetryProperties properties) {
        return RetrySchedule.parse(properties.tiers(), properties.schedule());
    }

    /** A job that names no {@code max_retries}, in a queue that names none, gets one retry per delay of the schedule. */
    @Bean
    JobDefaults jobDefaults(RetrySchedule retrySchedule) {
        return new JobDefaults(retrySchedule.retries());
    }

    @Bean
    RetryPolicy retryPolicy() {
        // Jitter only needs to spread retries, not to be unpredictable; each thread uses its own state.
        return new RetryPolicy(java.util.concurrent.ThreadLocalRandom.current());
    }

    /**
     * Where deliveries may go ({@code sluice.delivery.*}).
     *
     * @param allowedCidrs networks deliveries may reach although they are loopback, private or
     *                     reserved (see {@link SsrfGuard}); empty: none
     */
    @ConfigurationProperties("sluice.delivery")
    public record DeliveryProperties(@DefaultValue List<String> allowedCidrs) {
    }

    @Bean
    SsrfGuard ssrfGuard(DeliveryProperties properties) {
        return SsrfGuard.allowing(properties.allowedCidrs());
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    Uuid7 uuid7(Clock clock) {
        // ThreadLocalRandom.current() is shared safely: each calling thread uses its own state.
        return new Uuid7(clock, java.util.concurrent.ThreadLocalRandom.current());
    }

    /** For secrets and API keys only. */
    @Bean
    RandomGenerator secureRandom() {
        return new SecureRandom();
    }

    @Bean
    Topics topics(KafkaTopicsProperties properties, RetrySchedule retrySchedule) {
        return new Topics(properties.topicPrefix(), properties.deliveryPartitions(), properties.eventPartitions(),
                properties.replicationFactor(), retrySchedule.tiers(), properties.deadLetterRetention());
    }

    /** Created (or checked) by Spring's KafkaAdmin at start; never left to auto-creation. */
    @Bean
    KafkaAdmin.NewTopics sluiceTopics(Topics topics) {
        return new KafkaAdmin.NewTopics(topics.all().stream().map(SluiceConfiguration::newTopic).toArray(NewTopic[]::new));
    }

    private static NewTopic newTopic(TopicSpec spec) {
        return new NewTopic(spec.name(), spec.partitions(), spec.replicationFactor()).configs(spec.configs());
    }
}
