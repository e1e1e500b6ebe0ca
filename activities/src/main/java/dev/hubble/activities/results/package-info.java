/** Result stores: where jobs write their result files and how they are listed afterwards. */
@NonNullApi
package dev.hubble.activities.results;

import org.springframework.lang.NonNullApi;
