package io.tidings.console.internal;

import java.net.URI;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.qute.TemplateInstance;
import io.tidings.api.ApiException;
import io.tidings.api.internal.ApiExceptionMappers;

/**
 * How console pages answer: HTML, a redirect after a form that worked, and the API's own refusal,
 * word for word, when one did not.
 */
@Singleton
class Pages {

    /** A page's work; what the API refuses becomes an error page with the API's status and message. */
    interface Work {
        Response run() throws Exception;
    }

    @Inject
    ConsoleRequest request;
    @Inject
    Validator validator;

    /**
     * The body checked as the API checks it: a resource called from here, not over HTTP, does not
     * validate its parameters itself.
     */
    <T> T valid(T body) {
        Set<ConstraintViolation<T>> violations = validator.validate(body);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        return body;
    }

    Frame frame(String notice) {
        return new Frame(request.isAdmin(), request.csrfToken(), Notice.textOf(notice));
    }

    Response guarded(Work work) throws Exception {
        try {
            return work.run();
        } catch (ApiException | ConstraintViolationException e) {
            return html(statusOf(e), Views.error(frame(null), statusOf(e), problem(e)));
        }
    }

    static Response html(TemplateInstance page) {
        return html(200, page);
    }

    static Response html(int status, TemplateInstance page) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(page.render()).build();
    }

    static Response seeOther(String path) {
        return Response.seeOther(URI.create(path)).build();
    }

    /** What the API said was wrong, as a sentence for the page: the words its JSON error carries. */
    static String problem(RuntimeException e) {
        return e instanceof ConstraintViolationException violations ? ApiExceptionMappers.errorOf(violations).error() : e.getMessage();
    }

    static int statusOf(RuntimeException e) {
        return e instanceof ApiException api ? api.status().getStatusCode() : 400;
    }
}
