package io.tidings.console.internal;

import java.util.Arrays;

/**
 * What a finished action tells the page it redirects to. The redirect carries only the name, so no
 * text of a request is ever reflected into a page.
 */
enum Notice {
    SAVED("Saved."),
    TEST_SENT("A test message is on its way; its delivery appears below within seconds."),
    ENABLED("Enabled: deliveries resume."),
    DISABLED("Disabled: deliveries wait until it is enabled again."),
    RECOVERED("Dead deliveries of that range are back in the queue."),
    RETRIED("The delivery is back in the queue, due now."),
    DELETED("Deleted, with its deliveries."),
    REVOKED("The key is revoked: it stops working on every instance at once."),
    REPOSITIONED("The stream reads again from the start chosen; its reader restarts there.");

    final String text;

    Notice(String text) {
        this.text = text;
    }

    /** The text of a notice named in a redirect, or null for none or an unknown one. */
    static String textOf(String name) {
        return Arrays.stream(values()).filter(notice -> notice.name().equalsIgnoreCase(name)).findFirst()
                .map(notice -> notice.text).orElse(null);
    }

    String query() {
        return "notice=" + name().toLowerCase();
    }
}
