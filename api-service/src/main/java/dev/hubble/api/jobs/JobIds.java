package dev.hubble.api.jobs;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Job ids: UUIDs in canonical lower-case form, random, or derived from an idempotency key or from
 * the command that asked for the job. Each derivation has its own namespace, so an idempotency
 * key and a command id never yield the same job.
 */
public final class JobIds {

    private JobIds() {}

    static String random() {
        return UUID.randomUUID().toString();
    }

    /**
     * The id of the job submitted by {@code source} with idempotency key {@code key}: the same
     * pair always gives the same id, and keys of different sources never collide.
     */
    static String idempotent(String source, String key) {
        return UUID.nameUUIDFromBytes(("hubble-idempotency\0" + source + "\0" + key).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    /**
     * The id of the job a {@code hubble.job.submit} command asked for: the same CloudEvent
     * ({@code source} and {@code id}) always gives the same id, so a redelivered command finds
     * its job instead of making a second one.
     */
    static String fromCommand(String eventSource, String eventId) {
        return UUID.nameUUIDFromBytes(
                        ("hubble-command\0" + eventSource + "\0" + eventId).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    /** Whether {@code id} can be a job id; anything else is unknown without asking anyone. */
    public static boolean isValid(String id) {
        if (id.length() != 36) {
            return false;
        }
        try {
            return UUID.fromString(id).toString().equals(id);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
