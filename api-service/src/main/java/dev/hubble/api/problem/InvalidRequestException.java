package dev.hubble.api.problem;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A request with one or more invalid fields: {@code 400}, type {@code invalid-request}, the
 * fields in the problem's {@code errors} property.
 */
public final class InvalidRequestException extends ProblemException {

    /** The ProblemDetail property that lists the {@link FieldProblem}s. */
    public static final String ERRORS = "errors";

    private final List<FieldProblem> errors;

    public InvalidRequestException(List<FieldProblem> errors) {
        super(ProblemType.INVALID_REQUEST, describe(errors), null);
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("an invalid request needs at least one field problem");
        }
        this.errors = List.copyOf(errors);
        getBody().setProperty(ERRORS, this.errors);
    }

    /** A request with one invalid field. */
    public static InvalidRequestException of(String field, String message) {
        return new InvalidRequestException(List.of(new FieldProblem(field, message)));
    }

    public List<FieldProblem> errors() {
        return errors;
    }

    private static String describe(List<FieldProblem> errors) {
        return errors.stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; "));
    }
}
