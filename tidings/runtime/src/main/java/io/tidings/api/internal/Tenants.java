package io.tidings.api.internal;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import io.tidings.api.internal.TenantResource.TenantView;
import io.tidings.outbox.internal.NativeValues;

/** The SQL on {@code tenants}, in the caller's transaction. A tenant's keys are {@link ApiKeys}'. */
@ApplicationScoped
public class Tenants {

    @Inject
    EntityManager entityManager;

    public TenantView add(String name) {
        Object[] row = (Object[]) entityManager.createNativeQuery("INSERT INTO tenants (name) VALUES (?1) RETURNING id, created_at")
                .setParameter(1, name).getSingleResult();
        return new TenantView((UUID) row[0], name, NativeValues.instant(row[1]));
    }

    /** Up to {@code limit} tenants after the one with id {@code after} (null: from the first), by id. */
    public List<TenantView> page(UUID after, int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery("SELECT id, name, created_at FROM tenants "
                + "WHERE CAST(?1 AS uuid) IS NULL OR id > CAST(?1 AS uuid) ORDER BY id LIMIT ?2")
                .setParameter(1, after).setParameter(2, limit).getResultList();
        return rows.stream().map(Tenants::view).toList();
    }

    public Optional<TenantView> find(UUID id) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery("SELECT id, name, created_at FROM tenants WHERE id = ?1")
                .setParameter(1, id).getResultList();
        return rows.stream().map(Tenants::view).findFirst();
    }

    /** Deletes the tenant; its keys, webhooks and their deliveries go with it. @return whether there was one */
    public boolean delete(UUID id) {
        return entityManager.createNativeQuery("DELETE FROM tenants WHERE id = ?1").setParameter(1, id).executeUpdate() > 0;
    }

    public long count() {
        return ((Number) entityManager.createNativeQuery("SELECT count(*) FROM tenants").getSingleResult()).longValue();
    }

    private static TenantView view(Object[] row) {
        return new TenantView((UUID) row[0], (String) row[1], NativeValues.instant(row[2]));
    }
}
