"""Helper for Python jobs run by Hubble. Python 3.8 or newer; standard library only, plus boto3
when the job's output is on S3 (it is in AWS's Python images).

A Python job reads what Hubble hands it from its environment and talks back to Hubble's REST
API with its own token::

    import hubble_job

    job = hubble_job.current()
    day = job.params.get("day", "today")
    with open(job.result_path("report.csv"), "w") as f:
        ...
    child = job.submit_child("SELECT 42 AS answer", driver="duckdb")
    outcome = job.wait(child, timeout=600)
    if not outcome.succeeded:
        job.report_error(f"child {child} ended {outcome.state}")
        raise SystemExit(1)

The environment contract (the same for the ``local-python`` and the AWS Batch ``python``
drivers):

``HUBBLE_JOB_ID``
    this job's id
``HUBBLE_OUTPUT``
    URI of the folder to write result files into: ``file:///...`` locally, ``s3://...`` on AWS
``HUBBLE_API_URL``
    base URL of Hubble's REST API
``HUBBLE_JOB_TOKEN``
    this job's token, sent as ``Authorization: Bearer <token>``; a secret, never print it
``HUBBLE_PARAM_<name>``
    one per job parameter, the name exactly as submitted (case kept), the value as-is

The job tells Hubble how it is doing: ``current()`` pushes RUNNING the first time it is called,
and when the process ends it pushes FAILED (an uncaught exception, or an error reported with
``report_error``) or SUCCEEDED. A push only wakes Hubble to look at the engine at once; the
engine's own verdict (the exit code here, the container's status on AWS Batch) stays the truth,
and a push that cannot be delivered changes nothing.

Result files are written with ``job.result_path(name)`` whatever the output is: for a ``file://``
output that is the file itself; for an ``s3://`` output it is a file in a local staging folder,
uploaded under the output when the process ends. Then the job leaves ``_RESULT.json`` (its
files and sizes) in its output. A job that fails (an uncaught exception, or an error it
reported) leaves ``_ERROR.json`` (``message``, ``detail``) instead, and an uncaught exception is
reported to Hubble as the job's error. The same job file thus runs unchanged on ``local-python``
and on AWS Batch.

See README.md beside this file.
"""

import atexit
import http.client
import itertools
import json
import logging
import os
import shutil
import sys
import tempfile
import threading
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple, Union

__all__ = [
    "HubbleError",
    "Job",
    "JobOutcome",
    "TERMINAL_STATES",
    "current",
    "report_error",
    "result_path",
    "submit_child",
    "wait",
]

#: States a job never leaves.
TERMINAL_STATES = frozenset({"SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT"})

PARAM_PREFIX = "HUBBLE_PARAM_"

#: What a job that succeeded leaves in its output: ``{"jobId", "files": [{"name", "sizeBytes"}]}``.
RESULT_FILE = "_RESULT.json"
#: What a job that failed leaves in its output: ``{"jobId", "message", "detail"}``.
ERROR_FILE = "_ERROR.json"

_log = logging.getLogger("hubble_job")

# Statuses worth another try: the API or something in front of it is briefly unavailable.
_TRANSIENT_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


class HubbleError(Exception):
    """Hubble refused a request, or could not be reached after retries.

    ``status`` is the HTTP status (None when there was no answer) and ``problem`` the RFC 9457
    problem document of the answer, when it had one.
    """

    def __init__(self, message: str, status: Optional[int] = None, problem: Optional[dict] = None):
        super().__init__(message)
        self.status = status
        self.problem = problem


@dataclass(frozen=True)
class JobOutcome:
    """How a job ended, from ``GET /v1/jobs/{id}``."""

    job_id: str
    #: one of TERMINAL_STATES
    state: str
    #: ``{"message": ..., "detail": ...}`` when the job failed
    error: Optional[Dict[str, Any]]
    #: the result files, ``[{"url": ..., "expiresAt": ..., "sizeBytes": ...}]``
    files: List[Dict[str, Any]]
    #: the whole status document
    status: Dict[str, Any] = field(repr=False)

    @property
    def succeeded(self) -> bool:
        return self.state == "SUCCEEDED"

    @property
    def urls(self) -> List[str]:
        """The download links of the result files (signed, they expire)."""
        return [f["url"] for f in self.files]


class Job:
    """The running job: what Hubble handed it, and its calls back to Hubble. Thread-safe."""

    def __init__(
        self,
        job_id: str,
        output: str,
        api_url: str,
        token: str,
        params: Optional[Mapping[str, str]] = None,
        *,
        http_timeout: float = 30.0,
        attempts: int = 4,
        opener: Optional[urllib.request.OpenerDirector] = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        s3: Any = None,
    ):
        self.job_id = job_id
        #: the output folder's URI, as Hubble gave it
        self.output = output
        self.api_url = api_url.rstrip("/")
        self._token = token
        #: the job's parameters, names as submitted
        self.params: Dict[str, str] = dict(params or {})
        self._http_timeout = http_timeout
        self._attempts = max(1, attempts)
        self._opener = opener or urllib.request.build_opener()
        self._sleep = sleep
        self._clock = clock
        self._children = itertools.count(1)
        self._children_lock = threading.Lock()
        self._reported: Optional[str] = None
        self._reported_detail: Optional[str] = None
        # An S3 client (boto3's, or one like it), made on first use for an s3:// output.
        self._s3 = s3
        # Where result files of an s3:// output wait for their upload.
        self._staging: Optional[Path] = None
        self._staging_lock = threading.Lock()

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None, **options: Any) -> "Job":
        """The job described by the environment (``os.environ`` unless given).

        Raises HubbleError naming the first variable of the contract that is missing.
        """
        env = os.environ if environ is None else environ
        values = []
        for name in ("HUBBLE_JOB_ID", "HUBBLE_OUTPUT", "HUBBLE_API_URL", "HUBBLE_JOB_TOKEN"):
            value = env.get(name)
            if not value:
                raise HubbleError(f"{name} is not set: this program is meant to run as a Hubble job")
            values.append(value)
        params = {k[len(PARAM_PREFIX):]: v for k, v in env.items() if k.startswith(PARAM_PREFIX) and len(k) > len(PARAM_PREFIX)}
        return cls(*values, params=params, **options)

    def __repr__(self) -> str:
        # Never the token.
        return f"Job(job_id={self.job_id!r}, output={self.output!r}, api_url={self.api_url!r}, params={self.params!r})"

    # -- results ---------------------------------------------------------------------------

    @property
    def output_dir(self) -> Optional[Path]:
        """The output folder as a local path, or None when it is not local (``s3://...``)."""
        parsed = urllib.parse.urlparse(self.output)
        if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
            return None
        return Path(urllib.request.url2pathname(parsed.path))

    @property
    def output_is_s3(self) -> bool:
        """Whether the output folder is on S3 (``s3://bucket/prefix/``)."""
        return urllib.parse.urlparse(self.output).scheme == "s3"

    def result_path(self, name: str) -> Path:
        """The path to write result file ``name`` to (its folder is created if needed).

        For a local output this is the file in the output folder. For an ``s3://`` output it is
        a file in a local staging folder, uploaded to ``<output><name>`` when the process ends
        (or on ``finish()``). Hubble lists the files of the output folder as the job's result
        when it succeeds; names starting with ``.`` or ``_`` are not results, so they are
        refused here, as are sub-folders.
        """
        if not name or name in (".", "..") or "/" in name or "\\" in name or os.sep in name:
            raise ValueError(f"not a plain file name: {name!r}")
        if name.startswith((".", "_")):
            raise ValueError(f"{name!r} would not be listed as a result: names starting with '.' or '_' are not")
        folder = self.output_dir
        if folder is None:
            if not self.output_is_s3:
                raise HubbleError(f"the output folder {self.output} is neither local nor on S3")
            folder = self._staging_dir()
        folder.mkdir(parents=True, exist_ok=True)
        return folder / name

    def finish(self) -> List[Dict[str, Any]]:
        """Uploads the staged result files of an ``s3://`` output, then writes ``_RESULT.json``.

        Called when the process ends without a failure; call it earlier to know the upload
        worked. Returns the result files, ``[{"name", "sizeBytes"}]``. Raises when an upload
        fails.
        """
        if self.output_is_s3:
            files = []
            staging = self._staging
            if staging is not None and staging.is_dir():
                bucket, prefix = self._s3_location()
                for path in sorted(staging.iterdir()):
                    if path.is_file():
                        # One streamed PUT per file (up to 5 GB): no transfer threads, which an
                        # interpreter that is shutting down would refuse to start.
                        with open(path, "rb") as body:
                            self._s3_client().put_object(Bucket=bucket, Key=prefix + path.name, Body=body)
                        files.append({"name": path.name, "sizeBytes": path.stat().st_size})
                shutil.rmtree(staging, ignore_errors=True)
                self._staging = None
        else:
            folder = self.output_dir
            files = []
            if folder is not None and folder.is_dir():
                files = [{"name": p.name, "sizeBytes": p.stat().st_size} for p in sorted(folder.iterdir())
                         if p.is_file() and not p.name.startswith((".", "_"))]
        self._write_outcome(RESULT_FILE, {"jobId": self.job_id, "files": files})
        return files

    def write_error_file(self, message: str, detail: Optional[str] = None) -> None:
        """Writes ``_ERROR.json`` (``jobId``, ``message``, ``detail``) into the output."""
        self._write_outcome(ERROR_FILE, {"jobId": self.job_id, "message": message, "detail": detail})

    def _write_outcome(self, name: str, document: Dict[str, Any]) -> None:
        body = json.dumps(document, indent=2).encode("utf-8")
        if self.output_is_s3:
            bucket, prefix = self._s3_location()
            self._s3_client().put_object(Bucket=bucket, Key=prefix + name, Body=body, ContentType="application/json")
            return
        folder = self.output_dir
        if folder is None:
            raise HubbleError(f"the output folder {self.output} is neither local nor on S3")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(body)

    def _staging_dir(self) -> Path:
        with self._staging_lock:
            if self._staging is None:
                self._staging = Path(tempfile.mkdtemp(prefix="hubble-results-"))
            return self._staging

    def _s3_location(self) -> Tuple[str, str]:
        parsed = urllib.parse.urlparse(self.output)
        prefix = parsed.path.lstrip("/")
        if prefix and not prefix.endswith("/"):
            prefix += "/"
        return parsed.netloc, prefix

    def _s3_client(self) -> Any:
        if self._s3 is None:
            import boto3  # only jobs whose output is on S3 need it

            # Region, credentials and endpoint (AWS_ENDPOINT_URL_S3) come from the environment,
            # as the job's container or role provides them.
            self._s3 = boto3.client("s3")
        return self._s3

    # -- talking back to Hubble -------------------------------------------------------------

    def report_error(self, message: str, detail: Optional[str] = None) -> None:
        """Tells Hubble why this job is failing: ``POST /v1/jobs/{id}/errors``.

        If the job then fails, this message is its error, ahead of its stderr. The first report
        wins. The job should still exit non-zero: a report does not end the job.
        """
        body: Dict[str, Any] = {"message": message}
        if detail is not None:
            body["detail"] = detail
        if self._reported is None:
            self._reported = message
            self._reported_detail = detail
        self._call("POST", f"/v1/jobs/{_segment(self.job_id)}/errors", body, retry=True)

    def push_status(self, phase: str, message: Optional[str] = None) -> bool:
        """Tells Hubble how this job is doing: ``POST /v1/jobs/{id}/status``.

        ``phase`` is RUNNING, SUCCEEDED or FAILED. A hint that wakes Hubble to ask the engine at
        once; one quick try, and never raises: returns whether Hubble took it.
        """
        body: Dict[str, Any] = {"phase": phase}
        if message is not None:
            body["message"] = message[:1000]
        try:
            self._send("POST", f"/v1/jobs/{_segment(self.job_id)}/status", body, {}, timeout=min(self._http_timeout, 5.0))
            return True
        except Exception as e:  # noqa: BLE001 - a push must never fail the job
            _log.debug("status push %s not delivered: %s", phase, e)
            return False

    def submit_child(
        self,
        query: str,
        driver: str,
        format: str = "csv",
        parameters: Optional[Mapping[str, str]] = None,
        *,
        source: Optional[str] = None,
        priority: Optional[int] = None,
        timeout: Union[None, str, float, timedelta] = None,
        idempotency_key: Optional[str] = None,
    ) -> str:
        """Submits a child job (``POST /v1/jobs`` with ``parentJobId`` = this job) and returns its id.

        ``source`` defaults to this job's id. ``timeout`` is an ISO-8601 duration, seconds or a
        timedelta. Each call sends an ``Idempotency-Key``, by default ``<job id>-child-<n>`` for
        the n-th call of this process, so a retried request, or this job run again under the
        same id, finds the child it already submitted instead of starting a second one.
        """
        if idempotency_key is None:
            with self._children_lock:
                idempotency_key = f"{self.job_id}-child-{next(self._children)}"
        body: Dict[str, Any] = {
            "query": query,
            "driver": driver,
            "format": format,
            "source": source or self.job_id,
            "parentJobId": self.job_id,
        }
        if parameters:
            body["parameters"] = dict(parameters)
        if priority is not None:
            body["priority"] = priority
        if timeout is not None:
            body["timeout"] = _duration(timeout)
        _, answer = self._call("POST", "/v1/jobs", body, retry=True, headers={"Idempotency-Key": idempotency_key})
        if not isinstance(answer, dict) or not answer.get("jobId"):
            raise HubbleError("Hubble accepted the child job but did not say its id")
        _log.info("Submitted child job %s (%s)", answer["jobId"], driver)
        return answer["jobId"]

    def status(self, job_id: str) -> Dict[str, Any]:
        """The status document of a job: ``GET /v1/jobs/{id}``."""
        _, answer = self._call("GET", f"/v1/jobs/{_segment(job_id)}", retry=True)
        if not isinstance(answer, dict):
            raise HubbleError(f"no status document for job {job_id}")
        return answer

    def wait(
        self,
        job_id: str,
        timeout: float = 3600.0,
        *,
        initial_interval: float = 0.5,
        max_interval: float = 10.0,
    ) -> JobOutcome:
        """Waits until job ``job_id`` ends and returns how it ended.

        Polls ``GET /v1/jobs/{id}`` every ``initial_interval`` seconds, doubling up to
        ``max_interval``. A job not found yet, or Hubble briefly unreachable, is polled again;
        a refusal (401, 403, 400) raises HubbleError at once. Raises TimeoutError when the job
        has not ended after ``timeout`` seconds; the job keeps running.
        """
        deadline = self._clock() + timeout
        interval = initial_interval
        last_seen = "unknown"
        while True:
            try:
                _, answer = self._call("GET", f"/v1/jobs/{_segment(job_id)}", retry=False)
                state = answer.get("state") if isinstance(answer, dict) else None
                if state in TERMINAL_STATES:
                    result = answer.get("result") or {}
                    return JobOutcome(job_id, state, answer.get("error"), list(result.get("files") or []), answer)
                last_seen = state or last_seen
            except _Transient as e:
                _log.debug("Status of job %s not available: %s", job_id, e)
                last_seen = str(e)
            except HubbleError as e:
                if e.status != 404:
                    raise
                last_seen = "not found"
            left = deadline - self._clock()
            if left <= 0:
                raise TimeoutError(f"job {job_id} has not ended after {timeout:g} s (last seen: {last_seen})")
            self._sleep(min(interval, left))
            interval = min(interval * 2, max_interval)

    # -- HTTP ------------------------------------------------------------------------------

    def _call(
        self,
        method: str,
        path: str,
        body: Optional[Dict[str, Any]] = None,
        *,
        retry: bool,
        headers: Optional[Dict[str, str]] = None,
    ) -> Tuple[int, Any]:
        """One request, retried with backoff on transient failures when ``retry``.

        Raises HubbleError for a refusal; raises _Transient when the last try failed transiently
        and ``retry`` is off, or HubbleError when retries are exhausted.
        """
        attempts = self._attempts if retry else 1
        delay = 0.5
        for attempt in range(1, attempts + 1):
            try:
                return self._send(method, path, body, headers or {})
            except _Transient as e:
                if attempt == attempts:
                    if not retry:
                        raise
                    raise HubbleError(f"{method} {path} failed {attempts} times; last: {e}", e.status, e.problem) from e
                _log.debug("%s %s failed (%s); trying again in %.1f s", method, path, e, delay)
                self._sleep(delay)
                delay *= 2
        raise AssertionError("unreachable")

    def _send(self, method: str, path: str, body: Optional[Dict[str, Any]], headers: Dict[str, str],
              timeout: Optional[float] = None) -> Tuple[int, Any]:
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self.api_url + path, data=data, method=method)
        request.add_header("Accept", "application/json, application/problem+json")
        request.add_header("Authorization", f"Bearer {self._token}")
        request.add_header("User-Agent", "hubble-job-python/1")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        for name, value in headers.items():
            request.add_header(name, value)
        try:
            with self._opener.open(request, timeout=timeout or self._http_timeout) as response:
                return response.status, _json(response.read())
        except urllib.error.HTTPError as e:
            problem = _json(e.read())
            problem = problem if isinstance(problem, dict) else None
            text = _describe(e.code, problem)
            if e.code in _TRANSIENT_STATUSES:
                raise _Transient(text, e.code, problem) from None
            raise HubbleError(f"{method} {path}: {text}", e.code, problem) from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as e:
            raise _Transient(str(getattr(e, "reason", e)), None, None) from None


class _Transient(Exception):
    """A failure that may go away: no answer, a 5xx, 408 or 429."""

    def __init__(self, message: str, status: Optional[int], problem: Optional[dict]):
        super().__init__(message)
        self.status = status
        self.problem = problem


def _json(raw: bytes) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw.decode("utf-8"))
    except ValueError:
        return None


def _describe(status: int, problem: Optional[dict]) -> str:
    if problem:
        words = problem.get("detail") or problem.get("title")
        if words:
            return f"{status} {words}"
    return f"HTTP {status}"


def _segment(value: str) -> str:
    return urllib.parse.quote(value, safe="")


def _duration(value: Union[str, float, timedelta]) -> str:
    if isinstance(value, str):
        return value
    seconds = value.total_seconds() if isinstance(value, timedelta) else float(value)
    if seconds <= 0:
        raise ValueError(f"a timeout must be positive: {value!r}")
    return "PT" + f"{seconds:.3f}".rstrip("0").rstrip(".") + "S"


# -- the job this process runs, for scripts that prefer functions -----------------------------

_current: Optional[Job] = None
_current_lock = threading.Lock()


def current() -> Job:
    """The job this process runs, read from the environment once.

    The first call pushes RUNNING, and arranges for the final phase to be pushed when the
    process ends (see the module's documentation).
    """
    global _current
    with _current_lock:
        if _current is None:
            _current = Job.from_env()
            if _current.output_is_s3:
                # Now, not when the process ends: modules cannot be imported during shutdown, and
                # a job without boto3 should fail before it does its work.
                _current._s3_client()
            _current.push_status("RUNNING")
            _push_final_phase(_current)
        return _current


def _push_final_phase(job: Job) -> None:
    failure: List[Tuple[str, str]] = []
    previous_hook = sys.excepthook

    def on_uncaught(kind, value, tb):  # type: ignore[no-untyped-def]
        failure.append((f"{kind.__name__}: {value}", "".join(traceback.format_exception(kind, value, tb))))
        previous_hook(kind, value, tb)

    def at_exit() -> None:
        if not failure and job._reported is None:
            try:
                job.finish()
            except Exception as e:  # noqa: BLE001 - the job fails, and says why
                failure.append((f"could not store the job's results in {job.output}: {e}", traceback.format_exc()))
                print(f"hubble_job: {failure[-1][0]}", file=sys.stderr)
            else:
                job.push_status("SUCCEEDED")
                return
        if job._reported is None:
            message, detail = failure[0]
            try:
                job.report_error(message, detail[-60000:])
            except Exception as e:  # noqa: BLE001 - the exit code still fails the job
                _log.debug("could not report the error: %s", e)
        message = job._reported if job._reported is not None else failure[0][0]
        detail = job._reported_detail if job._reported is not None else failure[0][1]
        try:
            job.write_error_file(message, detail)
        except Exception as e:  # noqa: BLE001 - the error was reported, and the exit code fails the job
            print(f"hubble_job: could not write {ERROR_FILE}: {e}", file=sys.stderr)
        job.push_status("FAILED", message)
        if failure and failure[-1][0].startswith("could not store"):
            sys.stderr.flush()
            sys.stdout.flush()
            os._exit(1)  # the job's code succeeded, but its results are not where Hubble looks

    sys.excepthook = on_uncaught
    atexit.register(at_exit)


def result_path(name: str) -> Path:
    """``current().result_path(name)``."""
    return current().result_path(name)


def report_error(message: str, detail: Optional[str] = None) -> None:
    """``current().report_error(message, detail)``."""
    current().report_error(message, detail)


def submit_child(query: str, driver: str, format: str = "csv", parameters: Optional[Mapping[str, str]] = None, **options: Any) -> str:
    """``current().submit_child(...)``."""
    return current().submit_child(query, driver, format, parameters, **options)


def wait(job_id: str, timeout: float = 3600.0, **options: Any) -> JobOutcome:
    """``current().wait(job_id, timeout)``."""
    return current().wait(job_id, timeout, **options)
