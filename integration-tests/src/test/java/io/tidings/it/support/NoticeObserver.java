package io.tidings.it.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.tidings.webhook.WebhookNotice;

/** A host application's observer of what happens to webhooks, as one that sends its own e-mail would be. */
@Singleton
public class NoticeObserver {

    private final List<WebhookNotice> seen = new CopyOnWriteArrayList<>();

    void on(@Observes WebhookNotice notice) {
        seen.add(notice);
    }

    public List<WebhookNotice> seen() {
        return seen;
    }

    public void clear() {
        seen.clear();
    }
}
