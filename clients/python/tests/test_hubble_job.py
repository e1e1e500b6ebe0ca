import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from datetime import timedelta
from pathlib import Path
from typing import Optional
from unittest import mock

import hubble_job
from hubble_job import HubbleError, Job

from tests.fake_hubble import FakeHubble

TOKEN = "tok-en_123"


class FakeTime:
    """A clock that only moves when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class HubbleTestCase(unittest.TestCase):
    def setUp(self) -> None:
        self.hubble = FakeHubble()
        self.addCleanup(self.hubble.close)
        self.time = FakeTime()
        self.output = Path(tempfile.mkdtemp(prefix="hubble job "))
        self.addCleanup(shutil.rmtree, self.output, True)
        self.job = Job("job-1", self.output.as_uri(), self.hubble.url + "/", TOKEN, {"day": "2024-01-31"},
                       sleep=self.time.sleep, clock=self.time.clock)


class EnvironmentTest(unittest.TestCase):
    ENV = {
        "HUBBLE_JOB_ID": "job-1",
        "HUBBLE_OUTPUT": "file:///tmp/results/job%201/",
        "HUBBLE_API_URL": "http://127.0.0.1:8080/",
        "HUBBLE_JOB_TOKEN": TOKEN,
        "HUBBLE_PARAM_day": "2024-01-31",
        "HUBBLE_PARAM_Mixed_Case": "a=b; $(c)",
        "HUBBLE_PARAM_": "ignored: no name",
        "PATH": "/usr/bin",
    }

    def test_reads_the_contract_from_the_environment(self):
        job = Job.from_env(self.ENV)

        self.assertEqual(job.job_id, "job-1")
        self.assertEqual(job.output, "file:///tmp/results/job%201/")
        self.assertEqual(job.output_dir, Path("/tmp/results/job 1"))
        self.assertEqual(job.api_url, "http://127.0.0.1:8080")
        self.assertEqual(job.params, {"day": "2024-01-31", "Mixed_Case": "a=b; $(c)"})

    def test_missing_variable_is_named(self):
        env = dict(self.ENV)
        del env["HUBBLE_JOB_TOKEN"]

        with self.assertRaisesRegex(HubbleError, "HUBBLE_JOB_TOKEN is not set"):
            Job.from_env(env)

    def test_current_job_comes_from_os_environ(self):
        with mock.patch.dict(os.environ, self.ENV, clear=True), mock.patch.object(hubble_job, "_current", None), \
                mock.patch.object(hubble_job, "_push_final_phase"), mock.patch.object(Job, "push_status"):
            self.assertEqual(hubble_job.current().job_id, "job-1")
            self.assertIs(hubble_job.current(), hubble_job.current())

    def test_the_token_is_not_in_the_jobs_repr(self):
        self.assertNotIn(TOKEN, repr(Job.from_env(self.ENV)))

    def test_s3_output_has_no_local_folder(self):
        job = Job("job-1", "s3://bucket/results/job-1/", "http://127.0.0.1:1", TOKEN)

        self.assertIsNone(job.output_dir)
        self.assertTrue(job.output_is_s3)

    def test_an_output_neither_local_nor_on_s3_is_refused(self):
        job = Job("job-1", "gs://bucket/results/job-1/", "http://127.0.0.1:1", TOKEN)

        with self.assertRaisesRegex(HubbleError, "neither local nor on S3"):
            job.result_path("result.csv")


class FakeS3:
    """Records what a boto3 S3 client would have been asked to do."""

    def __init__(self, fail: bool = False) -> None:
        self.objects = {}
        self.fail = fail

    def put_object(self, Bucket: str, Key: str, Body, ContentType: Optional[str] = None) -> None:  # noqa: N803 - boto3's names
        if self.fail:
            raise OSError("connection refused")
        self.objects[(Bucket, Key)] = Body if isinstance(Body, bytes) else Body.read()


class S3OutputTest(unittest.TestCase):
    def test_results_are_staged_then_uploaded_under_the_output_with_a_result_file(self):
        s3 = FakeS3()
        job = Job("job-1", "s3://bucket/results/jobs/job-1", "http://127.0.0.1:1", TOKEN, s3=s3)

        path = job.result_path("report.csv")
        path.write_text("day,rows\n2024-01-31,3\n")
        self.assertFalse(str(path).startswith("s3:"))
        files = job.finish()

        self.assertEqual(files, [{"name": "report.csv", "sizeBytes": 22}])
        self.assertEqual(s3.objects[("bucket", "results/jobs/job-1/report.csv")], b"day,rows\n2024-01-31,3\n")
        self.assertEqual(json.loads(s3.objects[("bucket", "results/jobs/job-1/_RESULT.json")]),
                         {"jobId": "job-1", "files": [{"name": "report.csv", "sizeBytes": 22}]})
        self.assertFalse(path.parent.exists())

    def test_the_error_file_goes_to_the_output(self):
        s3 = FakeS3()
        job = Job("job-1", "s3://bucket/jobs/job-1/", "http://127.0.0.1:1", TOKEN, s3=s3)

        job.write_error_file("no rows", "checked 3 tables")

        self.assertEqual(json.loads(s3.objects[("bucket", "jobs/job-1/_ERROR.json")]),
                         {"jobId": "job-1", "message": "no rows", "detail": "checked 3 tables"})

    def test_a_failed_upload_raises(self):
        job = Job("job-1", "s3://bucket/jobs/job-1/", "http://127.0.0.1:1", TOKEN, s3=FakeS3(fail=True))
        job.result_path("a.csv").write_text("a\n")

        with self.assertRaisesRegex(OSError, "connection refused"):
            job.finish()


class ResultPathTest(HubbleTestCase):
    def test_finish_writes_the_result_file_listing_the_results(self):
        self.job.result_path("b.csv").write_text("1\n")
        self.job.result_path("a.csv").write_text("12\n")
        (self.output / "_stdout.log").write_text("not a result")

        self.job.finish()

        self.assertEqual(json.loads((self.output / "_RESULT.json").read_text()),
                         {"jobId": "job-1", "files": [{"name": "a.csv", "sizeBytes": 3}, {"name": "b.csv", "sizeBytes": 2}]})

    def test_result_path_is_in_the_output_folder_which_it_creates(self):
        self.output.rmdir()

        path = self.job.result_path("result.csv")

        self.assertEqual(path, self.output / "result.csv")
        self.assertTrue(self.output.is_dir())

    def test_names_that_would_not_be_results_are_refused(self):
        for name in ["", ".", "..", "_log.txt", ".hidden", "sub/file.csv", "../escape.csv"]:
            with self.subTest(name=name), self.assertRaises(ValueError):
                self.job.result_path(name)


class ReportErrorTest(HubbleTestCase):
    def test_posts_the_error_with_the_jobs_token(self):
        self.hubble.respond("POST", "/v1/jobs/job-1/errors", (202, None))

        self.job.report_error("input file is empty", "checked s3://in/2024-01-31")

        [request] = self.hubble.requests
        self.assertEqual(request.method, "POST")
        self.assertEqual(request.path, "/v1/jobs/job-1/errors")
        self.assertEqual(request.headers["authorization"], f"Bearer {TOKEN}")
        self.assertEqual(request.headers["content-type"], "application/json")
        self.assertEqual(request.body, {"message": "input file is empty", "detail": "checked s3://in/2024-01-31"})

    def test_detail_is_left_out_when_there_is_none(self):
        self.hubble.respond("POST", "/v1/jobs/job-1/errors", (204, None))

        self.job.report_error("failed")

        self.assertEqual(self.hubble.requests[0].body, {"message": "failed"})

    def test_refusal_raises_with_the_problem_detail(self):
        self.hubble.respond("POST", "/v1/jobs/job-1/errors",
                            (403, {"title": "Forbidden", "status": 403, "detail": "not this job's token"}))

        with self.assertRaises(HubbleError) as raised:
            self.job.report_error("failed")

        self.assertEqual(raised.exception.status, 403)
        self.assertIn("not this job's token", str(raised.exception))
        self.assertNotIn(TOKEN, str(raised.exception))
        self.assertEqual(len(self.hubble.requests), 1)

    def test_unavailable_api_is_tried_again_with_backoff(self):
        self.hubble.respond("POST", "/v1/jobs/job-1/errors", (503, None), (503, None), (202, None))

        self.job.report_error("failed")

        self.assertEqual(len(self.hubble.requests), 3)
        self.assertEqual(self.time.sleeps, [0.5, 1.0])

    def test_gives_up_after_four_tries(self):
        self.hubble.respond("POST", "/v1/jobs/job-1/errors", (502, None))

        with self.assertRaisesRegex(HubbleError, "failed 4 times"):
            self.job.report_error("failed")

        self.assertEqual(len(self.hubble.requests), 4)

    def test_unreachable_api_raises_after_retries(self):
        job = Job("job-1", self.output.as_uri(), "http://127.0.0.1:9", TOKEN, sleep=self.time.sleep)

        with self.assertRaisesRegex(HubbleError, "failed 4 times"):
            job.report_error("failed")


class SubmitChildTest(HubbleTestCase):
    def test_submits_a_child_of_this_job(self):
        self.hubble.respond("POST", "/v1/jobs", (202, {"jobId": "child-1", "state": "QUEUED"}))

        child = self.job.submit_child("SELECT 42 AS answer", "duckdb", parameters={"day": "2024-01-31"},
                                      priority=7, timeout=timedelta(minutes=10))

        self.assertEqual(child, "child-1")
        [request] = self.hubble.requests
        self.assertEqual(request.path, "/v1/jobs")
        self.assertEqual(request.body, {
            "query": "SELECT 42 AS answer",
            "driver": "duckdb",
            "format": "csv",
            "source": "job-1",
            "parentJobId": "job-1",
            "parameters": {"day": "2024-01-31"},
            "priority": 7,
            "timeout": "PT600S",
        })
        self.assertEqual(request.headers["authorization"], f"Bearer {TOKEN}")
        self.assertEqual(request.headers["idempotency-key"], "job-1-child-1")

    def test_each_child_gets_its_own_idempotency_key_unless_one_is_given(self):
        self.hubble.respond("POST", "/v1/jobs", (202, {"jobId": "c"}))

        self.job.submit_child("SELECT 1", "duckdb")
        self.job.submit_child("SELECT 2", "duckdb", format="parquet", source="reports")
        self.job.submit_child("SELECT 3", "duckdb", idempotency_key="mine")

        keys = [r.headers["idempotency-key"] for r in self.hubble.requests]
        self.assertEqual(keys, ["job-1-child-1", "job-1-child-2", "mine"])
        self.assertEqual(self.hubble.requests[1].body["format"], "parquet")
        self.assertEqual(self.hubble.requests[1].body["source"], "reports")
        self.assertNotIn("parameters", self.hubble.requests[0].body)

    def test_retried_submission_sends_the_same_key(self):
        self.hubble.respond("POST", "/v1/jobs", (503, None), (202, {"jobId": "child-1"}))

        self.assertEqual(self.job.submit_child("SELECT 1", "duckdb"), "child-1")

        keys = [r.headers["idempotency-key"] for r in self.hubble.requests]
        self.assertEqual(keys, ["job-1-child-1", "job-1-child-1"])

    def test_rejected_child_raises_with_the_reason(self):
        self.hubble.respond("POST", "/v1/jobs",
                            (400, {"title": "Bad Request", "status": 400, "detail": "unknown driver: nope"}))

        with self.assertRaisesRegex(HubbleError, "400 unknown driver: nope"):
            self.job.submit_child("SELECT 1", "nope")

    def test_timeouts_are_sent_as_iso_8601(self):
        self.hubble.respond("POST", "/v1/jobs", (202, {"jobId": "c"}))

        self.job.submit_child("SELECT 1", "duckdb", timeout=90)
        self.job.submit_child("SELECT 1", "duckdb", timeout=1.5)
        self.job.submit_child("SELECT 1", "duckdb", timeout="PT2H")

        self.assertEqual([r.body["timeout"] for r in self.hubble.requests], ["PT90S", "PT1.5S", "PT2H"])


class WaitTest(HubbleTestCase):
    RUNNING = (200, {"jobId": "child-1", "state": "RUNNING"})
    SUCCEEDED = (200, {
        "jobId": "child-1",
        "state": "SUCCEEDED",
        "result": {"format": "csv", "files": [
            {"url": "http://127.0.0.1/v1/jobs/child-1/results/result.csv?expires=1&signature=s",
             "expiresAt": "2024-01-31T12:00:00Z", "sizeBytes": 12}]},
    })

    def test_polls_with_doubling_intervals_until_the_job_ends(self):
        self.hubble.respond("GET", "/v1/jobs/child-1", *([self.RUNNING] * 7), self.SUCCEEDED)

        outcome = self.job.wait("child-1", timeout=600)

        self.assertTrue(outcome.succeeded)
        self.assertEqual(outcome.state, "SUCCEEDED")
        self.assertEqual(outcome.urls, ["http://127.0.0.1/v1/jobs/child-1/results/result.csv?expires=1&signature=s"])
        self.assertEqual(outcome.files[0]["sizeBytes"], 12)
        self.assertIsNone(outcome.error)
        self.assertEqual(self.time.sleeps, [0.5, 1.0, 2.0, 4.0, 8.0, 10.0, 10.0])
        self.assertTrue(all(r.headers["authorization"] == f"Bearer {TOKEN}" for r in self.hubble.requests))

    def test_returns_a_failed_jobs_state_and_error(self):
        error = {"message": "Parser Error: syntax error at or near \"SELEC\"", "detail": None}
        self.hubble.respond("GET", "/v1/jobs/child-1", (200, {"jobId": "child-1", "state": "FAILED", "error": error}))

        outcome = self.job.wait("child-1")

        self.assertFalse(outcome.succeeded)
        self.assertEqual(outcome.state, "FAILED")
        self.assertEqual(outcome.error, error)
        self.assertEqual(outcome.files, [])
        self.assertEqual(self.time.sleeps, [])

    def test_every_terminal_state_ends_the_wait(self):
        for state in ["SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT"]:
            with self.subTest(state=state):
                self.hubble.respond("GET", "/v1/jobs/child-1", (200, {"jobId": "child-1", "state": state}))
                self.assertEqual(self.job.wait("child-1").state, state)

    def test_a_job_not_found_yet_or_an_unavailable_api_is_polled_again(self):
        self.hubble.respond("GET", "/v1/jobs/child-1",
                            (404, {"status": 404, "detail": "no such job"}), (503, None), self.RUNNING, self.SUCCEEDED)

        self.assertEqual(self.job.wait("child-1").state, "SUCCEEDED")
        self.assertEqual(len(self.hubble.requests), 4)

    def test_refusal_ends_the_wait_at_once(self):
        self.hubble.respond("GET", "/v1/jobs/child-1", (401, {"status": 401, "detail": "missing token"}))

        with self.assertRaisesRegex(HubbleError, "401 missing token"):
            self.job.wait("child-1")

    def test_times_out_when_the_job_does_not_end(self):
        self.hubble.respond("GET", "/v1/jobs/child-1", self.RUNNING)

        with self.assertRaisesRegex(TimeoutError, "child-1 has not ended after 30 s .last seen: RUNNING."):
            self.job.wait("child-1", timeout=30)

        self.assertAlmostEqual(sum(self.time.sleeps), 30.0)
        self.assertEqual(self.time.sleeps[-1], 30.0 - sum(self.time.sleeps[:-1]))

    def test_job_ids_are_escaped_in_the_path(self):
        self.hubble.respond("GET", "/v1/jobs/a%2Fb", (200, {"jobId": "a/b", "state": "CANCELLED"}))

        self.assertEqual(self.job.wait("a/b").state, "CANCELLED")


class PushStatusTest(HubbleTestCase):
    def test_pushes_the_phase_with_the_jobs_token(self):
        self.hubble.respond("POST", "/v1/jobs/job-1/status", (202, None))

        self.assertTrue(self.job.push_status("FAILED", "no input rows"))

        [request] = self.hubble.requests
        self.assertEqual(request.path, "/v1/jobs/job-1/status")
        self.assertEqual(request.headers["authorization"], f"Bearer {TOKEN}")
        self.assertEqual(request.body, {"phase": "FAILED", "message": "no input rows"})

    def test_a_push_that_fails_changes_nothing_and_is_not_retried(self):
        self.hubble.respond("POST", "/v1/jobs/job-1/status", (503, None))

        self.assertFalse(self.job.push_status("RUNNING"))
        self.assertEqual(len(self.hubble.requests), 1)

    def test_an_unreachable_api_does_not_raise(self):
        job = Job("job-1", self.output.as_uri(), "http://127.0.0.1:1", TOKEN)

        self.assertFalse(job.push_status("SUCCEEDED"))

    def _run_job(self, body: str, extra_env: Optional[dict] = None) -> "subprocess.CompletedProcess[str]":
        self.hubble.respond("POST", "/v1/jobs/job-1/status", (202, None), (202, None))
        self.hubble.respond("POST", "/v1/jobs/job-1/errors", (202, None))
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin"),
            "PYTHONPATH": str(Path(hubble_job.__file__).parent),
            "HUBBLE_JOB_ID": "job-1",
            "HUBBLE_OUTPUT": self.output.as_uri(),
            "HUBBLE_API_URL": self.hubble.url,
            "HUBBLE_JOB_TOKEN": TOKEN,
        }
        env.update(extra_env or {})
        script = "import hubble_job\njob = hubble_job.current()\n" + body
        return subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)

    def test_a_job_pushes_running_when_it_starts_and_succeeded_when_it_ends(self):
        done = self._run_job("print('working')\nopen(job.result_path('a.csv'), 'w').write('a\\n')\n")

        self.assertEqual(done.returncode, 0, done.stderr)
        pushes = [r.body for r in self.hubble.requests if r.path.endswith("/status")]
        self.assertEqual(pushes, [{"phase": "RUNNING"}, {"phase": "SUCCEEDED"}])
        self.assertEqual(json.loads((self.output / "_RESULT.json").read_text()),
                         {"jobId": "job-1", "files": [{"name": "a.csv", "sizeBytes": 2}]})
        self.assertFalse((self.output / "_ERROR.json").exists())

    def test_a_job_that_raises_pushes_failed_reports_the_exception_and_leaves_an_error_file(self):
        done = self._run_job("raise ValueError('no input rows for 2026-11-24')\n")

        self.assertNotEqual(done.returncode, 0)
        pushes = [r.body for r in self.hubble.requests if r.path.endswith("/status")]
        self.assertEqual(pushes, [{"phase": "RUNNING"},
                                  {"phase": "FAILED", "message": "ValueError: no input rows for 2026-11-24"}])
        [report] = [r.body for r in self.hubble.requests if r.path.endswith("/errors")]
        self.assertEqual(report["message"], "ValueError: no input rows for 2026-11-24")
        self.assertIn("Traceback", report["detail"])
        error = json.loads((self.output / "_ERROR.json").read_text())
        self.assertEqual(error["message"], "ValueError: no input rows for 2026-11-24")
        self.assertFalse((self.output / "_RESULT.json").exists())

    def test_a_job_that_reported_its_error_pushes_failed_with_that_error(self):
        done = self._run_job("job.report_error('table is empty', 'checked t1')\nraise SystemExit(1)\n")

        self.assertEqual(done.returncode, 1)
        pushes = [r.body for r in self.hubble.requests if r.path.endswith("/status")]
        self.assertEqual(pushes[-1], {"phase": "FAILED", "message": "table is empty"})
        self.assertEqual(json.loads((self.output / "_ERROR.json").read_text()),
                         {"jobId": "job-1", "message": "table is empty", "detail": "checked t1"})

    @unittest.skipUnless(importlib.util.find_spec("boto3"), "boto3 is not installed")
    def test_a_job_whose_results_cannot_be_uploaded_fails(self):
        done = self._run_job("open(job.result_path('a.csv'), 'w').write('a\\n')\n", {
            "HUBBLE_OUTPUT": "s3://bucket/jobs/job-1/",
            "AWS_ENDPOINT_URL_S3": "http://127.0.0.1:1",
            "AWS_ACCESS_KEY_ID": "key", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_MAX_ATTEMPTS": "1",
        })

        self.assertEqual(done.returncode, 1, done.stderr)
        pushes = [r.body for r in self.hubble.requests if r.path.endswith("/status")]
        self.assertEqual(pushes[-1]["phase"], "FAILED")
        self.assertIn("could not store the job's results in s3://bucket/jobs/job-1/", pushes[-1]["message"])


class ModuleFunctionsTest(HubbleTestCase):
    def test_functions_act_for_the_current_job(self):
        self.hubble.respond("POST", "/v1/jobs", (202, {"jobId": "child-1"}))
        self.hubble.respond("POST", "/v1/jobs/job-1/errors", (202, None))
        self.hubble.respond("GET", "/v1/jobs/child-1", (200, {"jobId": "child-1", "state": "SUCCEEDED"}))

        with mock.patch.object(hubble_job, "_current", self.job):
            self.assertEqual(hubble_job.result_path("a.csv"), self.output / "a.csv")
            self.assertEqual(hubble_job.submit_child("SELECT 1", "duckdb"), "child-1")
            self.assertEqual(hubble_job.wait("child-1", 60).state, "SUCCEEDED")
            hubble_job.report_error("failed")

        self.assertEqual([r.path for r in self.hubble.requests], ["/v1/jobs", "/v1/jobs/child-1", "/v1/jobs/job-1/errors"])


if __name__ == "__main__":
    unittest.main()
