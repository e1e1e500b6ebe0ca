"""A job that submits two duckdb children, waits for both, and writes their outcomes.

The children carry this job as their parentJobId. Writes children.csv (child id, query, state,
result files). If a child did not succeed, reports that as this job's error and exits 1.
"""

import csv
import sys

import hubble_job

QUERIES = [
    "SELECT 42 AS answer",
    "SELECT range AS n, range * range AS square FROM range(10)",
]

job = hubble_job.current()
children = [job.submit_child(query, driver="duckdb") for query in QUERIES]
print(f"submitted {', '.join(children)}")

outcomes = [job.wait(child, timeout=600) for child in children]

with open(job.result_path("children.csv"), "w", newline="") as f:
    writer = csv.writer(f)
    writer.writerow(["child_job_id", "query", "state", "files"])
    for query, outcome in zip(QUERIES, outcomes):
        writer.writerow([outcome.job_id, query, outcome.state, len(outcome.files)])

failed = [o for o in outcomes if not o.succeeded]
if failed:
    job.report_error(
        f"{len(failed)} of {len(outcomes)} children did not succeed",
        detail="\n".join(f"{o.job_id}: {o.state} {(o.error or {}).get('message', '')}" for o in failed),
    )
    sys.exit(1)
print("both children succeeded")
