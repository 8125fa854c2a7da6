package io.tidings;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks what a host application may use, the only public types outside {@code internal} packages:
 * recording events ({@code Outbox}, {@code Event}, {@code @Emits}), adding a subscriber kind
 * ({@code DeliverySender} and what it receives and returns), and putting its own endpoints behind
 * Tidings' API keys ({@code @TidingsEndpoint}, {@code Caller}, {@code ApiException}). Everything
 * else is Tidings' own, sits in the {@code internal} subpackage of its concept's package, and may
 * change in any release. Tests hold the library, the example application and the host-example
 * module to this.
 */
@PublicApi
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface PublicApi {
}
