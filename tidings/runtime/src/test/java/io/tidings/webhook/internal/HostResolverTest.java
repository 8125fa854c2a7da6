package io.tidings.webhook.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.tidings.support.Await;

/** A host whose DNS hangs must not hold up the lookups of other hosts. */
class HostResolverTest {

    private final CompletableFuture<Void> dnsAnswers = new CompletableFuture<>();
    private final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();
    private final AtomicLong now = new AtomicLong();
    private final HostResolver resolver = new HostResolver(this::lookUp, Duration.ofMillis(300), Duration.ofSeconds(30), now::get);

    @AfterEach
    void close() {
        dnsAnswers.complete(null);
    }

    private CompletableFuture<InetAddress> lookUp(String host) {
        lookups.computeIfAbsent(host, h -> new AtomicInteger()).incrementAndGet();
        if (host.startsWith("refused")) {
            return CompletableFuture.failedFuture(new UrlGuard.RefusedUrl("is not allowed"));
        }
        CompletableFuture<Void> answered = host.startsWith("hanging") ? dnsAnswers : CompletableFuture.completedFuture(null);
        return answered.thenApply(none -> {
            try {
                return InetAddress.getByAddress(host, new byte[] { 93, (byte) 184, (byte) 215, 14 });
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void any_number_of_hosts_whose_dns_hangs_delay_only_their_own_sends_which_time_out() throws Exception {
        List<CompletableFuture<InetAddress>> hanging = new ArrayList<>();
        for (int send = 0; send < 1000; send++) {
            hanging.add(resolver.resolve("hanging-" + (send % 500) + ".example"));
        }

        long started = System.nanoTime();
        for (int host = 0; host < 20; host++) {
            assertThat(resolver.resolve("healthy-" + host + ".example").get(2, TimeUnit.SECONDS)).isNotNull();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("other hosts resolve meanwhile").isLessThan(Duration.ofSeconds(1));

        for (CompletableFuture<InetAddress> send : hanging) {
            assertThatThrownBy(() -> send.get(2, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TimeoutException.class);
        }
        assertThat(lookups.entrySet().stream().filter(entry -> entry.getKey().startsWith("hanging")))
                .as("one lookup per hanging host, however many sends wait for it").hasSize(500)
                .allSatisfy(entry -> assertThat(entry.getValue()).hasValue(1));
        Await.until(() -> resolver.lookupsRunning() == 0, Duration.ofSeconds(2),
                () -> "lookups never ended: " + resolver.lookupsRunning());
    }

    @Test
    void addresses_of_hosts_no_longer_sent_to_are_dropped_after_the_reuse_period() throws Exception {
        for (int host = 0; host < 50; host++) {
            resolver.resolve("deleted-" + host + ".example").get(2, TimeUnit.SECONDS);
        }
        assertThat(resolver.reusableHosts()).isEqualTo(50);

        now.addAndGet(Duration.ofSeconds(31).toNanos());
        resolver.resolve("still-used.example").get(2, TimeUnit.SECONDS);

        assertThat(resolver.reusableHosts()).as("only the host sent to since").isEqualTo(1);
    }

    @Test
    void a_checked_address_is_reused_for_a_while_then_looked_up_again() throws Exception {
        resolver.resolve("api.example").get(2, TimeUnit.SECONDS);
        now.addAndGet(Duration.ofSeconds(29).toNanos());
        resolver.resolve("api.example").get(2, TimeUnit.SECONDS);
        assertThat(lookups.get("api.example")).hasValue(1);

        now.addAndGet(Duration.ofSeconds(2).toNanos());
        resolver.resolve("api.example").get(2, TimeUnit.SECONDS);
        assertThat(lookups.get("api.example")).hasValue(2);
    }

    @Test
    void a_refused_host_is_refused_on_every_send() {
        for (int send = 0; send < 2; send++) {
            assertThatThrownBy(() -> resolver.resolve("refused.example").get(2, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(UrlGuard.RefusedUrl.class);
        }
        assertThat(lookups.get("refused.example")).hasValue(2);
    }
}
