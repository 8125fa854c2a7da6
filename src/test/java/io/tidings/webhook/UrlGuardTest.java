package io.tidings.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class UrlGuardTest {

    private final UrlGuard strict = new UrlGuard(config(false, false));

    @Test
    void internal_addresses_of_every_kind_are_recognised() throws Exception {
        for (String internal : new String[] { "127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254",
                "0.0.0.0", "100.64.0.1", "::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "::ffff:169.254.169.254",
                "224.0.0.1", "255.255.255.255" }) {
            assertThat(UrlGuard.isInternal(InetAddress.getByName(internal))).as(internal).isTrue();
        }
        for (String external : new String[] { "93.184.216.34", "1.1.1.1", "2606:4700:4700::1111", "172.32.0.1" }) {
            assertThat(UrlGuard.isInternal(InetAddress.getByName(external))).as(external).isFalse();
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
    void names_and_literals_that_resolve_inside_are_refused_unless_allowed() {
        for (String url : new String[] { "https://127.0.0.1/", "https://10.0.0.1/", "https://169.254.169.254/latest/meta-data",
                "https://[::1]/", "https://localhost:8080/" }) {
            assertThatThrownBy(() -> strict.check(url)).as(url).hasMessageContaining("internal address");
        }
        new UrlGuard(config(false, true)).check("https://127.0.0.1/");
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

            public java.util.Optional<java.util.List<String>> dnsServers() {
                return java.util.Optional.empty();
            }
        };
    }
}
