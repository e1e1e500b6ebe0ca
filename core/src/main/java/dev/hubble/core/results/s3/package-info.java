/**
 * The S3 result store: {@code s3:} locations, uploads from local engines, listings and
 * presigned download links, over the AWS SDK v2.
 */
@NonNullApi
package dev.hubble.core.results.s3;

import org.springframework.lang.NonNullApi;
