/** Download links for result files, signed at read time. */
@NonNullApi
package dev.hubble.core.results;

import org.springframework.lang.NonNullApi;
