package dev.hubble.core.config;

import dev.hubble.core.results.ResultStores;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Which result stores this installation uses: those named by {@code hubble.results.store} and by
 * the enabled drivers' {@code hubble.drivers.<d>.results}. A store nobody uses is not created,
 * so its settings need not be there (an installation without S3 needs no bucket).
 */
public final class ResultStoreConditions {

    private ResultStoreConditions() {}

    /** The names of the stores in use. */
    static Set<String> storesInUse(Environment environment) {
        Binder binder = Binder.get(environment);
        String fallback =
                normalize(binder.bind("hubble.results.store", String.class).orElse(ResultStores.LOCAL));
        Bindable<Map<String, Map<String, Object>>> driversType = Bindable.of(ResolvableType.forClassWithGenerics(
                Map.class,
                ResolvableType.forClass(String.class),
                ResolvableType.forClassWithGenerics(Map.class, String.class, Object.class)));
        Map<String, Map<String, Object>> drivers =
                binder.bind("hubble.drivers", driversType).orElse(Map.of());
        Set<String> used = new HashSet<>();
        used.add(fallback);
        drivers.forEach((name, settings) -> {
            Object enabled = settings.get("enabled");
            Object results = settings.get("results");
            if (results != null && (enabled == null || !"false".equalsIgnoreCase(enabled.toString()))) {
                used.add(normalize(results.toString()));
            }
        });
        return used;
    }

    private static String normalize(String store) {
        return store.trim().toLowerCase(Locale.ROOT);
    }

    /** Matches when some driver uses the S3 store. */
    public static final class S3InUse implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return storesInUse(context.getEnvironment()).contains(ResultStores.S3);
        }
    }

    /**
     * Matches when some driver uses the local store, or {@code hubble.results.local.dir} is set
     * (the jobs of earlier days may have written there, and their links must keep working).
     */
    public static final class LocalInUse implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return storesInUse(context.getEnvironment()).contains(ResultStores.LOCAL)
                    || context.getEnvironment().containsProperty("hubble.results.local.dir");
        }
    }
}
