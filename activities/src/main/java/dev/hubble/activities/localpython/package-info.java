/**
 * The {@code local-python} driver: a Python job run as a local {@code python3} process, with the
 * same environment contract as the AWS Batch {@code python} driver, for the local stack and
 * tests. The contract is documented on {@link dev.hubble.activities.localpython.LocalPythonRunner}
 * and in {@code clients/python/README.md}.
 */
@NonNullApi
package dev.hubble.activities.localpython;

import org.springframework.lang.NonNullApi;
