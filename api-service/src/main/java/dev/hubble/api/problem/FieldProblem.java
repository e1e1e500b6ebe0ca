package dev.hubble.api.problem;

import java.util.Objects;

/**
 * What is wrong with one field of a request; an element of the {@code errors} property of an
 * {@code invalid-request} problem.
 *
 * @param field the field's JSON path ({@code priority}, {@code parameters.day}), query parameter
 *     or header name
 * @param message what is wrong, for people
 */
public record FieldProblem(String field, String message) {

    public FieldProblem {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }
}
