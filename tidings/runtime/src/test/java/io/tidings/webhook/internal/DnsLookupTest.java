package io.tidings.webhook.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.tidings.support.SilentNameServer;
import io.vertx.core.Vertx;

/**
 * The real resolver against a name server that never answers: hundreds of hosts whose lookups
 * hang, and meanwhile a host from the hosts file and an address literal resolve at once.
 */
class DnsLookupTest {

    private final Vertx vertx = Vertx.vertx();
    private final SilentNameServer dns = new SilentNameServer();
    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(4);
    private final DnsLookup lookup = new DnsLookup(vertx.nettyEventLoopGroup().next(), LOOKUP_TIMEOUT, List.of(dns.address()));

    @AfterEach
    void close() {
        lookup.close();
        dns.close();
        vertx.close();
    }

    @Test
    void hanging_lookups_hold_no_thread_and_delay_no_other_host() throws Exception {
        List<CompletableFuture<List<InetAddress>>> hanging = new ArrayList<>();
        for (int host = 0; host < 300; host++) {
            hanging.add(lookup.resolveAll("hanging-" + host + ".invalid"));
        }

        long started = System.nanoTime();
        assertThat(lookup.resolveAll("localhost").get(1, TimeUnit.SECONDS)).anyMatch(InetAddress::isLoopbackAddress);
        assertThat(lookup.resolveAll("127.0.0.1").get(1, TimeUnit.SECONDS)).extracting(InetAddress::getHostAddress)
                .containsExactly("127.0.0.1");
        // Had they waited behind the hanging lookups, they would have taken the whole timeout.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(LOOKUP_TIMEOUT.dividedBy(2));

        for (CompletableFuture<List<InetAddress>> host : hanging) {
            assertThatThrownBy(() -> host.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(java.net.UnknownHostException.class);
        }
        assertThat(dns.queries()).as("the queries went to the configured server").isGreaterThanOrEqualTo(300);
    }
}
