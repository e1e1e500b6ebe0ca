package dev.hubble.api.commands;

/**
 * A command that can never be carried out as it is: trying again would fail again, so it goes to
 * the dead-letter topic.
 */
final class RejectedCommandException extends RuntimeException {

    private final DeadLetterReason reason;

    /** @param detail for whoever reads the dead-letter topic; quotes at most a short prefix of the input */
    RejectedCommandException(DeadLetterReason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    DeadLetterReason reason() {
        return reason;
    }
}
