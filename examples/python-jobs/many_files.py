"""A job that writes many small result files: part-00000.csv, part-00001.csv, ...

Shows that a job's result may hold any number of files: the job document lists the first 1,000
with fileCount and totalBytes, and GET /v1/jobs/{id}/results?cursor=... pages through all of them.

Parameter: count (default 1500).
"""

import hubble_job

job = hubble_job.current()
count = int(job.params.get("count", "1500"))

for i in range(count):
    with open(job.result_path(f"part-{i:05d}.csv"), "w") as f:
        f.write(f"part\n{i}\n")

print(f"wrote {count} files")
