package dev.hubble.api.commands;

/**
 * Why a command went to the dead-letter topic: the first word of its {@value DeadLetters#REASON_HEADER}
 * header. The codes are part of the contract; consumers of the dead-letter topic branch on them.
 */
enum DeadLetterReason {
    /** The record is no CloudEvent in binary or structured mode (or lacks a required attribute). */
    NOT_A_CLOUDEVENT("not-a-cloudevent"),
    /** The event's type is neither {@code hubble.job.submit} nor {@code hubble.job.cancel}. */
    UNKNOWN_TYPE("unknown-type"),
    /** The event's data is not JSON. */
    UNSUPPORTED_CONTENT_TYPE("unsupported-content-type"),
    /** The submitted job is invalid; the detail names every invalid field, as the REST API would. */
    INVALID_JOB("invalid-job"),
    /** A cancel command that names no job. */
    INVALID_CANCEL("invalid-cancel"),
    /** A cancel command for a job nobody knows. */
    JOB_NOT_FOUND("job-not-found"),
    /** Carrying the command out failed for an unforeseen reason, several times; the API logged it. */
    PROCESSING_FAILED("processing-failed");

    private final String code;

    DeadLetterReason(String code) {
        this.code = code;
    }

    /** The stable code, e.g. {@code invalid-job}. */
    String code() {
        return code;
    }
}
