package io.tidings.webhook.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.netty.channel.EventLoop;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;

/**
 * Looks host names up without blocking a thread: Netty's DNS resolver, on one of Vert.x' event
 * loops, reading the hosts file and the system's name servers (or {@code tidings.webhooks.dns-servers}).
 * A lookup that hangs holds no thread, so any number of hanging hosts delay only their own sends.
 */
final class DnsLookup implements AutoCloseable {

    private final DnsNameResolver resolver;

    DnsLookup(EventLoop eventLoop, Duration timeout, List<InetSocketAddress> servers) {
        DnsNameResolverBuilder builder = new DnsNameResolverBuilder(eventLoop)
                .datagramChannelType(NioDatagramChannel.class)
                .queryTimeoutMillis(timeout.toMillis());
        builder.nameServerProvider(servers.isEmpty() ? DnsServerAddressStreamProviders.platformDefault()
                : new SequentialDnsServerAddressStreamProvider(servers.toArray(InetSocketAddress[]::new)));
        this.resolver = builder.build();
    }

    /** Every address of {@code host} (or the address a literal names); fails when it does not resolve. */
    CompletableFuture<List<InetAddress>> resolveAll(String host) {
        CompletableFuture<List<InetAddress>> addresses = new CompletableFuture<>();
        resolver.resolveAll(host).addListener(done -> {
            if (done.isSuccess()) {
                @SuppressWarnings("unchecked")
                List<InetAddress> found = (List<InetAddress>) done.getNow();
                addresses.complete(found);
            } else {
                addresses.completeExceptionally(new java.net.UnknownHostException(host + " does not resolve"));
            }
        });
        return addresses;
    }

    @Override
    public void close() {
        resolver.close();
    }
}
