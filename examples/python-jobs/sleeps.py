"""A long-running job, to try cancel and timeout: sleeps, saying so every few seconds.

Parameter: seconds (default 600).
"""

import time

import hubble_job

seconds = int(hubble_job.current().params.get("seconds", "600"))
start = time.monotonic()
while time.monotonic() - start < seconds:
    print(f"still sleeping after {time.monotonic() - start:.0f} s")
    time.sleep(min(5, max(0.1, seconds - (time.monotonic() - start))))

with open(hubble_job.result_path("slept.csv"), "w") as f:
    f.write(f"seconds\n{seconds}\n")
