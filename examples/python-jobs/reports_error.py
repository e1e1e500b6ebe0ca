"""A job that reports its own error through Hubble's API, then exits non-zero.

The reported message wins over the last line of stderr as the job's error.
"""

import sys

import hubble_job

print("stderr says something less useful", file=sys.stderr)
hubble_job.report_error(
    "upstream export for 2024-01-01 is missing",
    detail="looked for s3://exports/2024-01-01/ and found no objects",
)
sys.exit(1)
