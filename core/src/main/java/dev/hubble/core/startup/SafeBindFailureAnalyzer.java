package dev.hubble.core.startup;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.convert.ConversionException;
import org.springframework.core.convert.ConversionFailedException;
import org.springframework.core.env.Environment;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

/**
 * Reports a setting that cannot be bound or is invalid, naming the settings and why, but never
 * their values: Spring Boot's own analyses print {@code Value: "..."}, which for a rejected
 * secret (a signing key one character too short) would put the secret in the start-up log.
 * Whatever a validation message quotes, values of secret settings are hidden ({@link Secrets}).
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
final class SafeBindFailureAnalyzer extends AbstractFailureAnalyzer<BindException> {

    private final Environment environment;

    SafeBindFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, BindException cause) {
        String prefix = cause.getName().toString();
        List<String> problems = new ArrayList<>();
        if (cause.getCause() instanceof BindValidationException validation) {
            for (ObjectError error : validation.getValidationErrors().getAllErrors()) {
                String name = error instanceof FieldError field
                        ? prefix + "." + DataObjectPropertyName.toDashedForm(field.getField())
                        : prefix;
                problems.add(name + ": " + error.getDefaultMessage());
            }
        } else {
            ConfigurationProperty property = cause.getProperty();
            String name = property != null ? property.getName().toString() : prefix;
            problems.add(name + ": " + reason(cause));
        }
        Secrets secrets = Secrets.of(environment);
        String description = secrets.hide("Invalid settings under '" + prefix + "': " + String.join("; ", problems));
        return new FailureAnalysis(
                description,
                "Set " + (problems.size() == 1 ? "that setting" : "those settings") + " as the message says"
                        + " (command line --name=value, environment variable or application.yml).",
                cause);
    }

    /** The innermost message, unless a conversion failed: its message quotes the value. */
    private static String reason(Throwable failure) {
        String message = null;
        for (Throwable t = failure.getCause(); t != null; t = t.getCause()) {
            if (t instanceof ConversionFailedException conversion) {
                return "cannot be read as "
                        + conversion.getTargetType().getType().getSimpleName();
            }
            if (t instanceof ConversionException) {
                return "cannot be converted to the setting's type";
            }
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        return message != null ? message : "cannot be bound";
    }
}
