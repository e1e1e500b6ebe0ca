package dev.hubble.core.startup;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.lang.Nullable;

/**
 * Hides the values of secret settings in start-up reports. A setting is secret when its name
 * says so (secret, password, token, key, credential, ...); every value such a setting has in the
 * environment is replaced by {@value #HIDDEN} wherever it appears in a text, whatever message
 * quoted it.
 */
final class Secrets {

    static final String HIDDEN = "<hidden>";

    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(secret|password|passwd|token|signing[-_.]?key|private[-_.]?key|access[-_.]?key|api[-_.]?key"
                    + "|credential|jaas).*");
    // Shorter values would blot out ordinary words; no real secret is that short.
    private static final int SHORTEST_HIDDEN = 4;

    private final List<String> values;

    private Secrets(List<String> values) {
        this.values = values;
    }

    /** The secret values set in {@code environment}; none when it is unknown. */
    static Secrets of(@Nullable Environment environment) {
        List<String> values = new ArrayList<>();
        if (environment instanceof ConfigurableEnvironment configurable) {
            for (PropertySource<?> source : configurable.getPropertySources()) {
                if (source instanceof EnumerablePropertySource<?> enumerable) {
                    for (String name : enumerable.getPropertyNames()) {
                        Object value = enumerable.getProperty(name);
                        if (isSecret(name) && value != null) {
                            String text = String.valueOf(value);
                            if (text.length() >= SHORTEST_HIDDEN) {
                                values.add(text);
                            }
                        }
                    }
                }
            }
        }
        // The longest first, so a secret that contains another is hidden whole.
        values.sort(Comparator.comparingInt(String::length).reversed());
        return new Secrets(List.copyOf(values));
    }

    /** Whether a setting of this name holds a secret. */
    static boolean isSecret(String name) {
        return SECRET_NAME.matcher(name).matches();
    }

    /** {@code text} with every secret value replaced by {@value #HIDDEN}. */
    String hide(String text) {
        String hidden = text;
        for (String value : values) {
            hidden = hidden.replace(value, HIDDEN);
        }
        return hidden;
    }
}
