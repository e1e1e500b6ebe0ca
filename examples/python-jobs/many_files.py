"""A job with a large result and a long log: writes `files` small CSV files (default 100) and
prints `lines` lines of progress (default 1000). Shows how the console pages results and
truncates logs.
"""

import csv

import hubble_job

job = hubble_job.current()
files = int(job.params.get("files", "100"))
lines = int(job.params.get("lines", "1000"))

for i in range(files):
    with open(job.result_path(f"part-{i:05d}.csv"), "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["part", "value"])
        writer.writerow([i, i * i])

for i in range(lines):
    print(f"progress line {i + 1} of {lines}")
