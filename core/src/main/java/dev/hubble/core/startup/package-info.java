/**
 * Start-up that fails fast and says why: failure analyzers that name the setting to change and
 * never print a configured value, a one-line summary as the last word, and an exit of the JVM
 * when an application cannot start (threads of half-started servers must not keep it alive).
 */
@NonNullApi
package dev.hubble.core.startup;

import org.springframework.lang.NonNullApi;
