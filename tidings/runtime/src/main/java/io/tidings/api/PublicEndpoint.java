package io.tidings.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.ws.rs.NameBinding;

import io.tidings.PublicApi;
import io.tidings.api.internal.PublicEndpointLimit;

/** Marks a resource anyone may call without a credential: {@link PublicEndpointLimit} bounds how many run at once. */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@PublicApi
public @interface PublicEndpoint {
}
