"""The smallest job that succeeds: writes one greeting to hello.csv.

Parameter: name (default "world").
"""

import csv

import hubble_job

job = hubble_job.current()
name = job.params.get("name", "world")

with open(job.result_path("hello.csv"), "w", newline="") as f:
    writer = csv.writer(f)
    writer.writerow(["greeting", "job_id"])
    writer.writerow([f"hello, {name}", job.job_id])

print(f"wrote hello.csv for {name}")
