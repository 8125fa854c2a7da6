package io.tidings.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.ws.rs.NameBinding;

import io.tidings.PublicApi;

/**
 * Marks a resource class as one of Tidings' own endpoints. Tidings' credential check, its JSON
 * error bodies, its request limits and its refusal of control characters apply to these only: a
 * host application's own endpoints keep their own authentication, error mapping and JSON reading.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@PublicApi
public @interface TidingsEndpoint {
}
