package io.tidings.api.internal;

import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tidings.api.ApiException;

/**
 * Bounds the requests with which a tenant makes Tidings send or re-queue deliveries, so that no
 * tenant can flood receivers or the outbox through the API: {@code tidings.api.tenant-operations-per-minute}.
 */
@Singleton
public class TenantOperationLimit {

    private static final int MAX_TENANTS = 100_000;

    private final RateLimiter limiter;
    private final int perMinute;

    @Inject
    public TenantOperationLimit(ApiConfig config) {
        this.perMinute = config.tenantOperationsPerMinute();
        this.limiter = new RateLimiter(perMinute, MAX_TENANTS);
    }

    /** @throws ApiException 429 when the tenant has used its operations of the last minute */
    public void take(UUID tenant) {
        if (!limiter.take(tenant, 1)) {
            throw ApiException.tooManyRequests("This tenant may test, retry or recover " + perMinute
                    + " times a minute (tidings.api.tenant-operations-per-minute); try again shortly");
        }
    }
}
