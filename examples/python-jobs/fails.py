"""A job that raises: its exception line becomes the job's error, its traceback the detail.

Parameter: day (default "2024-01-01").
"""

import hubble_job


def load(day):
    rows = []  # pretend the day's input was empty
    if not rows:
        raise ValueError(f"no input rows for {day}")
    return rows


load(hubble_job.current().params.get("day", "2024-01-01"))
