"""A job with many result files and, if asked, a long log: part-00000.csv, part-00001.csv, ...

Shows that a job's result may hold any number of files (the job document lists the first 1,000
with fileCount and totalBytes, and GET /v1/jobs/{id}/results?cursor=... pages through all of
them) and how the console pages results and truncates logs.

Parameters: count (or files) - how many files, default 1500; lines - progress lines to print,
default 0.
"""

import hubble_job

job = hubble_job.current()
count = int(job.params.get("count", job.params.get("files", "1500")))
lines = int(job.params.get("lines", "0"))

for i in range(count):
    with open(job.result_path(f"part-{i:05d}.csv"), "w") as f:
        f.write(f"part\n{i}\n")

for i in range(lines):
    print(f"progress line {i + 1} of {lines}")
