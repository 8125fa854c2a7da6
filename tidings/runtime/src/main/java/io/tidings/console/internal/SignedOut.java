package io.tidings.console.internal;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A console page that answers without a session: the sign-in form. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface SignedOut {
}
