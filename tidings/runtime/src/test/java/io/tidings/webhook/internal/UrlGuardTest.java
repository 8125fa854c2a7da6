package io.tidings.webhook.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class UrlGuardTest {

    private final UrlGuard strict = new UrlGuard(config(false, false));

    @Test
    void internal_addresses_of_every_kind_are_recognised() throws Exception {
        for (String internal : new String[] { "127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254",
                "0.0.0.0", "100.64.0.1", "100.100.100.200", "::1", "::", "fe80::1", "fd00::1", "fec0::1", "::ffff:127.0.0.1",
                "::ffff:169.254.169.254", "224.0.0.1", "255.255.255.255", "192.0.0.192", "192.0.2.1", "198.51.100.7",
                "203.0.113.9", "198.18.0.1", "192.88.99.1", "192.31.196.1", "192.52.193.1", "192.175.48.1", "240.0.0.1",
                "168.63.129.16", // Azure's wire server
                "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", // NAT64 of 127.0.0.1 and the metadata address
                "64:ff9b:1::1", // local-use NAT64: what it carries is the operator's to define
                "2002:7f00:1::1", "2002:a00:1::", // 6to4 of 127.0.0.1 and 10.0.0.1
                "::127.0.0.1", "::10.0.0.1", "::8.8.8.8", // IPv4-compatible, deprecated: refused whatever it carries
                "2001:0:4136:e378:8000:63bf:3fff:fdd2", // Teredo
                "2001:db8::1", "3fff::1", "100::1", "2001:2::1", "2001:10::1", "2001:20::1", "5f00::1", "2620:4f:8000::1",
                "ff02::1" }) {
            assertThat(SpecialAddresses.isInternal(InetAddress.getByName(internal))).as(internal).isTrue();
        }
        for (String external : new String[] { "93.184.216.34", "1.1.1.1", "2606:4700:4700::1111", "172.32.0.1",
                "64:ff9b::808:808", "2002:808:808::1", "::ffff:8.8.8.8", "168.63.129.17", "2a00:1450:4001::200e" }) {
            assertThat(SpecialAddresses.isInternal(InetAddress.getByName(external))).as(external).isFalse();
        }
    }

    @Test
    void https_only_no_credentials_and_a_host() {
        assertThatThrownBy(() -> strict.parse("http://93.184.216.34/hook")).hasMessageContaining("must be https");
        assertThatThrownBy(() -> strict.parse("ftp://example.com/x")).hasMessageContaining("must be https");
        assertThatThrownBy(() -> strict.parse("https://user:pw@example.com/")).hasMessageContaining("user name or password");
        assertThatThrownBy(() -> strict.parse("https:///path")).hasMessageContaining("no host");
        assertThatThrownBy(() -> strict.parse("not a url")).hasMessageContaining("not a URL");
        assertThat(strict.parse("https://93.184.216.34/hook").getHost()).isEqualTo("93.184.216.34");
        assertThat(new UrlGuard(config(true, false)).parse("http://93.184.216.34/hook")).isNotNull();
    }

    @Test
    void a_host_with_any_internal_address_is_refused_unless_allowed() throws Exception {
        for (String host : new String[] { "127.0.0.1", "10.0.0.1", "169.254.169.254", "::1" }) {
            List<InetAddress> addresses = List.of(InetAddress.getByName("93.184.216.34"), InetAddress.getByName(host));
            assertThatThrownBy(() -> strict.checked(addresses)).as(host)
                    .hasMessage("The URL is not allowed: its host must resolve to public addresses only "
                            + "(tidings.webhooks.allow-private-targets is off)");
        }
        assertThat(new UrlGuard(config(false, true)).checked(List.of(InetAddress.getByName("127.0.0.1")))).isNotNull();
        assertThatThrownBy(() -> strict.checked(List.of())).hasMessage("The URL has a host that does not resolve");
    }

    private static WebhookConfig config(boolean allowHttp, boolean allowPrivate) {
        return new WebhookConfig() {
            public boolean allowHttp() {
                return allowHttp;
            }

            public boolean allowPrivateTargets() {
                return allowPrivate;
            }

            public Duration secretOverlap() {
                return Duration.ofHours(24);
            }

            public Duration disableAfter() {
                return Duration.ofDays(5);
            }

            public int disableAfterDeadDeliveries() {
                return 10;
            }

            public int maxPerTenant() {
                return 100;
            }

            public int recoverMax() {
                return 10_000;
            }

            public Duration retryStepMin() {
                return Duration.ofSeconds(10);
            }

            public Duration retryStepMax() {
                return Duration.ofDays(1);
            }

            public int retryStepsMax() {
                return 20;
            }

            public java.util.Optional<java.util.List<String>> dnsServers() {
                return java.util.Optional.empty();
            }
        };
    }
}
