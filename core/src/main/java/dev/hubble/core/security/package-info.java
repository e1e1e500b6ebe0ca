/**
 * Job tokens: the secret each job receives at launch and presents when it talks back to Hubble
 * (reports its error, submits children).
 */
@NonNullApi
package dev.hubble.core.security;

import org.springframework.lang.NonNullApi;
