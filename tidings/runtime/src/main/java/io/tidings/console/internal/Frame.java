package io.tidings.console.internal;

/**
 * What every page's frame shows: the navigation for a tenant or the admin, the CSRF token its forms
 * carry, and the notice an action left.
 */
record Frame(boolean admin, String csrf, String notice) {
}
