package io.tidings.console.internal;

import jakarta.enterprise.context.RequestScoped;

/** This request's console session, once the filter found one that is still good. */
@RequestScoped
class ConsoleRequest {

    private ConsoleSessions.Session session;
    private boolean admin;

    void signedIn(ConsoleSessions.Session session, boolean admin) {
        this.session = session;
        this.admin = admin;
    }

    boolean isSignedIn() {
        return session != null;
    }

    boolean isAdmin() {
        return admin;
    }

    String csrfToken() {
        return session == null ? null : session.csrfToken();
    }
}
