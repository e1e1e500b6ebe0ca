package dev.hubble.api.problem;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.TemporalAccessor;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.lang.Nullable;

/**
 * Turns a failure to read a JSON document (a request body, a command's data) into an
 * {@link InvalidRequestException} naming the field, from the parser's path. The parser's own
 * message is never used: it quotes input and Java type names.
 */
public final class JsonInputProblems {

    private static final Set<Class<?>> INTEGERS =
            Set.of(Integer.class, int.class, Long.class, long.class, Short.class, short.class);

    private JsonInputProblems() {}

    /**
     * @param cause why the document could not be read, usually a Jackson exception
     * @param document what the document is called where the caller sent it ({@code body}, {@code data})
     */
    public static InvalidRequestException of(@Nullable Throwable cause, String document) {
        if (cause instanceof JsonParseException) {
            return InvalidRequestException.of(document, "is not valid JSON");
        }
        if (cause instanceof JsonMappingException mapping) {
            String field = path(mapping.getPath());
            Class<?> target = mapping instanceof MismatchedInputException mismatch ? mismatch.getTargetType() : null;
            if (field.isEmpty()) {
                return InvalidRequestException.of(document, "must be a JSON object");
            }
            return InvalidRequestException.of(field, expected(target));
        }
        return InvalidRequestException.of(document, "is missing or unreadable");
    }

    /** What a value of {@code type} must look like, for people. */
    static String expected(@Nullable Class<?> type) {
        if (type == null) {
            return "has the wrong type";
        }
        if (INTEGERS.contains(type)) {
            return "must be an integer";
        }
        if (type == String.class
                || Duration.class.isAssignableFrom(type)
                || Instant.class.isAssignableFrom(type)
                || TemporalAccessor.class.isAssignableFrom(type)) {
            return "must be a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "must be true or false";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "must be an object of string values";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "must be an array";
        }
        if (type.isRecord()) {
            return "must be an object";
        }
        return "has the wrong type";
    }

    private static String path(List<JsonMappingException.Reference> path) {
        StringBuilder field = new StringBuilder();
        for (JsonMappingException.Reference reference : path) {
            if (reference.getFieldName() != null) {
                if (!field.isEmpty()) {
                    field.append('.');
                }
                field.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                field.append('[').append(reference.getIndex()).append(']');
            }
        }
        return field.toString();
    }
}
