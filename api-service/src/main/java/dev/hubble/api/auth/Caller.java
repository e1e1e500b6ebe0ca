package dev.hubble.api.auth;

/** Who makes the request being answered. */
sealed interface Caller {

    /** Authentication is off: anyone may do anything. */
    record Anyone() implements Caller {}

    /** A user or service authenticated by a JWT. */
    record User(String subject, boolean admin) implements Caller {}

    /** A running job, authenticated by its job token: it may submit and follow its children. */
    record Job(String jobId) implements Caller {}
}
