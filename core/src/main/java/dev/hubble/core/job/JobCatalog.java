package dev.hubble.core.job;

import java.util.Optional;

/**
 * The jobs one driver can run, for drivers whose {@code query} names a job rather than holding
 * code (a Python program in a directory, a registered AWS Batch job definition), or that run only
 * some kinds of code (the {@code trino} driver's read-only statements, {@link ReadOnlySql}). The API asks
 * the catalog of a job's driver at submit and answers 400 with its reason; the driver refuses
 * the same names when it runs them, so a job that got past an API with another configuration
 * still fails with the same message. Drivers without a catalog accept any query.
 *
 * <p>Implementations are thread-safe and cheap enough to ask once per submitted job.
 */
public interface JobCatalog {

    /** The driver whose jobs this catalog lists, e.g. {@code local-python}. */
    String driver();

    /**
     * Why {@code query} is not a job of this catalog, listing the jobs it has; empty when it is
     * one. Never reveals paths or other configuration.
     */
    Optional<String> rejection(String query);
}
