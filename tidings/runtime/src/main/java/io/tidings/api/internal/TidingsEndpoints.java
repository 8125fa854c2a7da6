package io.tidings.api.internal;

import java.util.List;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.Path;

import io.tidings.api.TidingsEndpoint;

/** The root paths of Tidings' own endpoints ({@link TidingsEndpoint}), for what runs before a resource is matched. */
@Singleton
public class TidingsEndpoints {

    private final List<String> roots;

    @Inject
    public TidingsEndpoints(BeanManager beans) {
        this.roots = beans.getBeans(Object.class, Any.Literal.INSTANCE).stream()
                .map(bean -> bean.getBeanClass())
                .filter(TidingsEndpoints::isOne)
                .filter(type -> type.isAnnotationPresent(Path.class))
                .map(type -> type.getAnnotation(Path.class).value())
                .map(path -> path.endsWith("/") ? path.substring(0, path.length() - 1) : path)
                .distinct().sorted().toList();
    }

    /** Whether the resource class is one of Tidings' endpoints. */
    public static boolean isOne(Class<?> resource) {
        return resource != null && resource.isAnnotationPresent(TidingsEndpoint.class);
    }

    public List<String> roots() {
        return roots;
    }

    /** Whether the path lies under one of Tidings' endpoints. */
    public boolean cover(String path) {
        return roots.stream().anyMatch(root -> path.equals(root) || path.startsWith(root + "/"));
    }
}
