package dev.hubble.api.jobs;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Job ids: UUIDs in canonical lower-case form, random or derived from an idempotency key. */
final class JobIds {

    private JobIds() {
    }

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

    /** Whether {@code id} can be a job id; anything else is unknown without asking anyone. */
    static boolean isValid(String id) {
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
