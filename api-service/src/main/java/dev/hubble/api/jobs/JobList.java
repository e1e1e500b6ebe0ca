package dev.hubble.api.jobs;

import dev.hubble.core.view.JobDocument;
import java.util.List;

/** The answer of {@code GET /v1/jobs}: matching jobs, newest first. */
record JobList(List<JobDocument> jobs) {}
