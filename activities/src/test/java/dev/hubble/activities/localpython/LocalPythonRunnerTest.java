package dev.hubble.activities.localpython;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hubble.activities.runner.JobEnvironment;
import dev.hubble.activities.runner.JobRejectedException;
import dev.hubble.core.job.JobSpec;
import dev.hubble.core.job.OutputFormat;
import dev.hubble.core.job.ResultFile;
import dev.hubble.core.security.JobTokenProperties;
import dev.hubble.core.security.JobTokens;
import dev.hubble.core.temporal.RemotePhase;
import dev.hubble.core.temporal.RemoteStatus;
import dev.hubble.core.temporal.RunHandle;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Runs real {@code python3} processes. */
@ExtendWith(OutputCaptureExtension.class)
class LocalPythonRunnerTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef";
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path jobs;

    @TempDir
    Path results;

    @TempDir
    Path helper;

    private final JobTokens tokens = new JobTokens(new JobTokenProperties(SECRET));
    private final List<LocalPythonRunner> runners = new ArrayList<>();
    private LocalResults store;

    @AfterEach
    void stopRunners() {
        runners.forEach(LocalPythonRunner::destroy);
    }

    @Test
    void jobThatExitsNormallySucceedsWithTheFilesItWrote() throws IOException {
        job("hello", """
                import csv
                with open("result.csv", "w", newline="") as f:
                    w = csv.writer(f)
                    w.writerow(["greeting", "n"])
                    w.writerow(["hello", 1])
                print("wrote result.csv")
                """);
        LocalPythonRunner runner = runner();

        RemoteStatus status = awaitEnd(runner, runner.submit("job-1", spec("hello"), output("job-1")));

        assertThat(status).isEqualTo(RemoteStatus.of(RemotePhase.SUCCEEDED));
        assertThat(Files.readString(outputDir("job-1").resolve("result.csv"))).isEqualTo("greeting,n\r\nhello,1\r\n");
        assertThat(Files.readString(outputDir("job-1").resolve(LocalPythonRunner.STDOUT)))
                .isEqualTo("wrote result.csv\n");
        assertThat(store.list("job-1")).extracting(ResultFile::name).containsExactly("result.csv");
    }

    @Test
    void jobThatRaisesFailsWithTheExceptionLineAndItsTracebackAsDiagnostics() throws IOException {
        job("fails", """
                def check(n):
                    raise ValueError(f"bad input: {n}")
                check(42)
                """);
        LocalPythonRunner runner = runner();
        RunHandle handle = runner.submit("job-1", spec("fails"), output("job-1"));

        RemoteStatus status = awaitEnd(runner, handle);

        assertThat(status).isEqualTo(new RemoteStatus(RemotePhase.FAILED, "ValueError: bad input: 42"));
        assertThat(runner.diagnostics(handle))
                .hasValueSatisfying(tail -> assertThat(tail)
                        .startsWith("Traceback (most recent call last):")
                        .contains("check(42)")
                        .endsWith("ValueError: bad input: 42"));
    }

    @Test
    void jobThatExitsNonZeroFailsWithItsLastStderrLineAndTheTailAsDiagnostics() throws IOException {
        job("complains", """
                import sys
                for i in range(1, 11):
                    print(f"line {i}", file=sys.stderr)
                print("   ", file=sys.stderr)
                sys.exit(3)
                """);
        LocalPythonRunner runner = runner(properties(5));
        RunHandle handle = runner.submit("job-1", spec("complains"), output("job-1"));

        RemoteStatus status = awaitEnd(runner, handle);

        assertThat(status).isEqualTo(new RemoteStatus(RemotePhase.FAILED, "line 10"));
        assertThat(runner.diagnostics(handle)).contains("line 6\nline 7\nline 8\nline 9\nline 10");
    }

    @Test
    void jobThatExitsNonZeroSilentlyFailsWithItsExitCode() throws IOException {
        job("quiet", "raise SystemExit(4)\n");
        LocalPythonRunner runner = runner();
        RunHandle handle = runner.submit("job-1", spec("quiet"), output("job-1"));

        assertThat(awaitEnd(runner, handle))
                .isEqualTo(new RemoteStatus(RemotePhase.FAILED, "python job quiet exited with code 4"));
        assertThat(runner.diagnostics(handle)).isEmpty();
    }

    @Test
    void unknownJobIsRejectedNamingTheAvailableOnes() throws IOException {
        job("hello", "");
        job("fails", "");
        LocalPythonRunner runner = runner();
        URI output = output("job-1");

        assertThatThrownBy(() -> runner.submit("job-1", spec("missing"), output))
                .isInstanceOf(JobRejectedException.class)
                .hasMessage("unknown Python job 'missing'; available jobs: fails, hello");
        assertThat(outputDir("job-1").resolve(LocalPythonRunner.STDERR)).doesNotExist();
    }

    @Test
    void nameThatIsNotAnIdentifierIsRejectedWithoutLookingOutsideTheJobsDirectory() throws IOException {
        job("hello", "");
        Files.writeString(jobs.getParent().resolve("outside.py"), "");
        LocalPythonRunner runner = runner();
        URI output = output("job-1");

        for (String name : List.of("../outside", "hello.py", "hello; rm -rf /", "$(id)", "")) {
            assertThatThrownBy(() -> runner.submit("job-1", spec(name), output))
                    .isInstanceOf(JobRejectedException.class)
                    .hasMessageContaining("is not a Python job name")
                    .hasMessageEndingWith("available jobs: hello");
        }
    }

    @Test
    void processGetsTheEnvironmentContractAndRunsInTheOutputDirectory(CapturedOutput logs) throws IOException {
        job("env", """
                import json, os
                seen = {k: v for k, v in os.environ.items() if k.startswith("HUBBLE_") or k == "PYTHONPATH"}
                seen["cwd"] = os.getcwd()
                with open("_env.json", "w") as f:
                    json.dump(seen, f)
                """);
        LocalPythonRunner runner = runner();
        URI output = output("job-1");
        JobSpec spec = spec("env", Map.of("day", "2024-01-31", "Mixed_Case", "as-is"));

        assertThat(awaitEnd(runner, runner.submit("job-1", spec, output)).phase())
                .isEqualTo(RemotePhase.SUCCEEDED);

        Map<String, String> env = readJson(outputDir("job-1").resolve("_env.json"));
        assertThat(env)
                .containsOnlyKeys(
                        "HUBBLE_JOB_ID",
                        "HUBBLE_OUTPUT",
                        "HUBBLE_API_URL",
                        "HUBBLE_JOB_TOKEN",
                        "HUBBLE_PARAM_day",
                        "HUBBLE_PARAM_Mixed_Case",
                        "PYTHONPATH",
                        "cwd");
        assertThat(env)
                .containsEntry("HUBBLE_JOB_ID", "job-1")
                .containsEntry("HUBBLE_OUTPUT", output.toString())
                .containsEntry("HUBBLE_API_URL", "http://hubble.test:8080/api")
                .containsEntry("HUBBLE_PARAM_day", "2024-01-31")
                .containsEntry("HUBBLE_PARAM_Mixed_Case", "as-is")
                .containsEntry("cwd", outputDir("job-1").toRealPath().toString());
        assertThat(env.get("HUBBLE_OUTPUT")).startsWith("file:///");
        assertThat(env.get("PYTHONPATH")).startsWith(helper.toAbsolutePath().toString());
        assertThat(tokens.check("job-1", env.get("HUBBLE_JOB_TOKEN"))).isEqualTo(JobTokens.Verdict.VALID);
        assertThat(logs.getAll())
                .contains("Started Python job env for job job-1")
                .doesNotContain(env.get("HUBBLE_JOB_TOKEN"));
    }

    @Test
    void processSeesNothingOfTheWorkersEnvironmentButTheAllowList() throws IOException {
        String workerOnly = System.getenv().keySet().stream()
                .filter(name -> !allowed(name) && !setByTheInterpreterLauncher(name))
                .sorted()
                .findFirst()
                .orElse(null);
        assumeTrue(workerOnly != null, "the test JVM has no environment variable to leave out");
        job("environ", """
                import json, os
                with open("_environ.json", "w") as f:
                    json.dump(dict(os.environ), f)
                """);

        LocalPythonRunner strict = runner();
        assertThat(awaitEnd(strict, strict.submit("job-1", spec("environ"), output("job-1")))
                        .phase())
                .isEqualTo(RemotePhase.SUCCEEDED);
        Map<String, String> env = readJson(outputDir("job-1").resolve("_environ.json"));
        LocalPythonRunner lenient = runner(new LocalPythonProperties(
                jobs,
                "python3",
                URI.create("http://localhost:8080"),
                20,
                Duration.ofHours(1),
                helper,
                Duration.ofSeconds(5),
                List.of(workerOnly)));
        assertThat(awaitEnd(lenient, lenient.submit("job-2", spec("environ"), output("job-2")))
                        .phase())
                .isEqualTo(RemotePhase.SUCCEEDED);
        Map<String, String> listed = readJson(outputDir("job-2").resolve("_environ.json"));

        assertThat(env.keySet())
                .doesNotContain(workerOnly)
                .filteredOn(name -> System.getenv().containsKey(name) && !setByTheInterpreterLauncher(name))
                .allSatisfy(name ->
                        assertThat(allowed(name)).as("%s reached the job", name).isTrue());
        // A shim may put its own directories first.
        assertThat(env.get("PATH")).endsWith(System.getenv("PATH"));
        assertThat(listed).containsEntry(workerOnly, System.getenv(workerOnly));
    }

    private static boolean allowed(String name) {
        return JobEnvironment.ALWAYS_INHERITED.contains(name) || name.startsWith(JobEnvironment.PREFIX);
    }

    /**
     * Variables the way to the interpreter sets itself: a shell or a version manager's shim
     * (pyenv) running {@code python3}, and Python when the locale is C (PEP 538).
     */
    private static boolean setByTheInterpreterLauncher(String name) {
        return Set.of("PWD", "OLDPWD", "SHLVL", "_", "LC_CTYPE").contains(name)
                || name.startsWith("PYENV")
                || name.startsWith("_PYENV");
    }

    @Test
    void parameterValuesArePassedAsTheyAre() throws IOException {
        job("params", """
                import json, os
                params = {k[len("HUBBLE_PARAM_"):]: v for k, v in os.environ.items() if k.startswith("HUBBLE_PARAM_")}
                with open("params.json", "w") as f:
                    json.dump(params, f)
                """);
        Map<String, String> parameters = Map.of(
                "quoted", "it's \"quoted\" and $(not run)",
                "multiline", "one\ntwo",
                "unicode", "Grüße, 世界",
                "empty", "",
                "equals", "a=b=c");
        LocalPythonRunner runner = runner();

        awaitEnd(runner, runner.submit("job-1", spec("params", parameters), output("job-1")));

        assertThat(readJson(outputDir("job-1").resolve("params.json"))).isEqualTo(parameters);
    }

    @Test
    void parameterThatCannotBeAnEnvironmentVariableIsRejected() throws IOException {
        job("params", "");
        LocalPythonRunner runner = runner();
        URI output = output("job-1");

        assertThatThrownBy(() -> runner.submit("job-1", spec("params", Map.of("no-dash", "x")), output))
                .isInstanceOf(JobRejectedException.class)
                .hasMessageContaining("no-dash");
        assertThatThrownBy(() -> runner.submit("job-1", spec("params", Map.of("nul", "a\0b")), output))
                .isInstanceOf(JobRejectedException.class)
                .hasMessageContaining("NUL");
    }

    @Test
    void submittingAJobAgainReturnsTheSameHandleWithoutStartingASecondProcess() throws Exception {
        job("once", """
                import os
                with open("runs.txt", "a") as f:
                    f.write(f"{os.getpid()}\\n")
                """);
        LocalPythonRunner runner = runner();
        URI output = output("job-1");
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Future<RunHandle>> submits;
        try {
            List<Callable<RunHandle>> calls = IntStream.range(0, 8)
                    .<Callable<RunHandle>>mapToObj(i -> () -> runner.submit("job-1", spec("once"), output))
                    .toList();
            submits = threads.invokeAll(calls);
        } finally {
            threads.shutdown();
        }
        RunHandle handle = submits.get(0).get();
        for (Future<RunHandle> submit : submits) {
            assertThat(submit.get()).isEqualTo(handle);
        }

        awaitEnd(runner, handle);
        assertThat(runner.submit("job-1", spec("once"), output)).isEqualTo(handle);

        assertThat(Files.readAllLines(outputDir("job-1").resolve("runs.txt"))).hasSize(1);
    }

    @Test
    void cancelKillsTheJobAndTheProcessesItStarted() throws IOException {
        job("spawns", SPAWNS_A_SLEEPING_CHILD);
        LocalPythonRunner runner = runner();
        RunHandle handle = runner.submit("job-1", spec("spawns"), output("job-1"));
        long[] pids = awaitPids(outputDir("job-1").resolve("pids.txt"));
        assertThat(runner.poll(handle).phase()).isEqualTo(RemotePhase.RUNNING);

        runner.cancel(handle);

        await().atMost(PATIENCE).until(() -> !isRunning(pids[0]) && !isRunning(pids[1]));
        assertThat(awaitEnd(runner, handle).phase()).isEqualTo(RemotePhase.CANCELLED);
        runner.cancel(handle);
        assertThat(runner.poll(handle).phase()).isEqualTo(RemotePhase.CANCELLED);
    }

    @Test
    void cancelKillsAJobThatIgnoresSigtermOnceTheGracePeriodIsOver() throws IOException {
        job("stubborn", """
                import os, signal, subprocess, time
                signal.signal(signal.SIGTERM, signal.SIG_IGN)
                child = subprocess.Popen(["sleep", "300"])
                with open("pids.tmp", "w") as f:
                    f.write(f"{os.getpid()} {child.pid}\\n")
                os.rename("pids.tmp", "pids.txt")
                while True:
                    time.sleep(1)
                """);
        LocalPythonRunner runner = runner(new LocalPythonProperties(
                jobs,
                "python3",
                URI.create("http://localhost:8080"),
                20,
                Duration.ofHours(1),
                null,
                Duration.ofMillis(300),
                List.of()));
        RunHandle handle = runner.submit("job-1", spec("stubborn"), output("job-1"));
        long[] pids = awaitPids(outputDir("job-1").resolve("pids.txt"));

        runner.cancel(handle);

        await().atMost(PATIENCE).until(() -> !isRunning(pids[0]) && !isRunning(pids[1]));
        assertThat(awaitEnd(runner, handle).phase()).isEqualTo(RemotePhase.CANCELLED);
    }

    @Test
    void cancelOfAFinishedJobChangesNothing() throws IOException {
        job("hello", "print('hi')\n");
        LocalPythonRunner runner = runner();
        RunHandle handle = runner.submit("job-1", spec("hello"), output("job-1"));
        awaitEnd(runner, handle);

        runner.cancel(handle);

        assertThat(runner.poll(handle)).isEqualTo(RemoteStatus.of(RemotePhase.SUCCEEDED));
    }

    @Test
    void jobThatReadsStdinSeesItsEndInsteadOfWaiting() throws IOException {
        job("reads", "import sys\nprint(len(sys.stdin.read()))\n");
        LocalPythonRunner runner = runner();

        assertThat(awaitEnd(runner, runner.submit("job-1", spec("reads"), output("job-1")))
                        .phase())
                .isEqualTo(RemotePhase.SUCCEEDED);
    }

    @Test
    void handleThisRunnerDoesNotKnowFailsSayingTheProcessIsGone() throws IOException {
        job("fails", "raise RuntimeError('boom')\n");
        LocalPythonRunner before = runner();
        RunHandle handle = before.submit("job-1", spec("fails"), output("job-1"));
        awaitEnd(before, handle);

        LocalPythonRunner restarted = runner();

        assertThat(restarted.poll(handle).phase()).isEqualTo(RemotePhase.FAILED);
        assertThat(restarted.poll(handle).message()).contains("Python process of this job is gone");
        assertThat(restarted.diagnostics(handle))
                .hasValueSatisfying(tail -> assertThat(tail).endsWith("RuntimeError: boom"));
        restarted.cancel(handle);
        assertThat(restarted
                        .poll(new RunHandle(LocalPythonRunner.DRIVER, "never-submitted", Map.of()))
                        .phase())
                .isEqualTo(RemotePhase.FAILED);
        assertThat(restarted.diagnostics(new RunHandle(LocalPythonRunner.DRIVER, "never-submitted", Map.of())))
                .isEmpty();
    }

    @Test
    void aProcessLeftBehindByAWorkerThatDiedIsKilledAndItsJobFailsSayingSo() throws IOException {
        job("spawns", SPAWNS_A_SLEEPING_CHILD);
        LocalPythonRunner died = runner();
        RunHandle handle = died.submit("job-1", spec("spawns"), output("job-1"));
        long[] pids = awaitPids(outputDir("job-1").resolve("pids.txt"));
        // The next worker's runner: it never started the process, which runs on without its worker.
        LocalPythonRunner next = runner();

        RemoteStatus status = next.poll(handle);

        assertThat(status.phase()).isEqualTo(RemotePhase.FAILED);
        assertThat(status.message()).contains("has died", "pid " + pids[0], "has been killed");
        await().atMost(PATIENCE).until(() -> !isRunning(pids[0]) && !isRunning(pids[1]));
        assertThat(next.poll(handle).message()).contains("Python process of this job is gone");
    }

    @Test
    void aCancelKillsTheProcessAWorkerThatDiedLeftBehind() throws IOException {
        job("spawns", SPAWNS_A_SLEEPING_CHILD);
        RunHandle handle = runner().submit("job-1", spec("spawns"), output("job-1"));
        long[] pids = awaitPids(outputDir("job-1").resolve("pids.txt"));

        runner().cancel(handle);

        assertThat(isRunning(pids[0])).isFalse();
        await().atMost(PATIENCE).until(() -> !isRunning(pids[1]));
    }

    @Test
    void aProcessThatMerelyHasTheJobsOldPidIsLeftAlone() {
        ProcessHandle self = ProcessHandle.current();
        RunHandle handle = new RunHandle(
                LocalPythonRunner.DRIVER,
                "job-1",
                Map.of(
                        LocalPythonRunner.PID,
                        Long.toString(self.pid()),
                        LocalPythonRunner.STARTED,
                        "2001-01-01T00:00:00Z"));

        assertThat(runner().poll(handle).message()).contains("Python process of this job is gone");
        runner().cancel(handle);
        assertThat(self.isAlive()).isTrue();
    }

    @Test
    void stoppingTheRunnerKillsTheJobsItStarted() throws IOException {
        job("spawns", SPAWNS_A_SLEEPING_CHILD);
        LocalPythonRunner runner = runner();
        runner.submit("job-1", spec("spawns"), output("job-1"));
        long[] pids = awaitPids(outputDir("job-1").resolve("pids.txt"));

        runner.destroy();

        await().atMost(PATIENCE).until(() -> !isRunning(pids[0]) && !isRunning(pids[1]));
    }

    @Test
    void tailKeepsTheLastLinesOfALargeFileWithoutItsTrailingBlankLines() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 20_000; i++) {
            text.append("line ").append(i).append("\r\n");
        }
        text.append("\n\n");
        Path file = Files.writeString(jobs.resolve("big.log"), text);

        assertThat(LocalPythonRunner.tail(file, 3)).containsExactly("line 19998", "line 19999", "line 20000");
        assertThat(LocalPythonRunner.tail(jobs.resolve("missing.log"), 3)).isEmpty();
    }

    private static final String SPAWNS_A_SLEEPING_CHILD = """
            import os, subprocess, time
            child = subprocess.Popen(["sleep", "300"])
            with open("pids.tmp", "w") as f:
                f.write(f"{os.getpid()} {child.pid}\\n")
            os.rename("pids.tmp", "pids.txt")
            time.sleep(300)
            """;

    private LocalPythonProperties properties(int stderrTailLines) {
        return new LocalPythonProperties(
                jobs,
                "python3",
                URI.create("http://hubble.test:8080/api/"),
                stderrTailLines,
                Duration.ofHours(1),
                helper,
                Duration.ofSeconds(5),
                List.of());
    }

    @Test
    void logTailShowsTheEndOfStdoutThenOfStderr() throws IOException {
        job("chatty", """
                import sys
                for i in range(5000):
                    print(f"line {i}")
                print("something went wrong", file=sys.stderr)
                sys.exit(3)
                """);
        LocalPythonRunner runner = runner();
        RunHandle handle = runner.submit("job-log", spec("chatty"), output("job-log"));
        awaitEnd(runner, handle);

        List<String> tail = runner.logTail(handle, 3);

        assertThat(tail)
                .containsExactly(
                        "==> stdout <==",
                        "line 4997",
                        "line 4998",
                        "line 4999",
                        "==> stderr <==",
                        "something went wrong");
        assertThat(runner.logTail(handle, 5000)).hasSize(5000 + 3).startsWith("==> stdout <==", "line 0");
        assertThat(runner.logTail(new RunHandle(LocalPythonRunner.DRIVER, "gone", Map.of()), 10))
                .isEmpty();
    }

    private LocalPythonRunner runner() {
        return runner(properties(20));
    }

    private LocalPythonRunner runner(LocalPythonProperties properties) {
        LocalPythonRunner runner = new LocalPythonRunner(properties, tokens, Clock.systemUTC());
        runners.add(runner);
        return runner;
    }

    private void job(String name, String source) throws IOException {
        Files.writeString(jobs.resolve(name + ".py"), source);
    }

    private URI output(String jobId) {
        if (store == null) {
            store = new LocalResults(results);
        }
        return store.output(jobId);
    }

    private Path outputDir(String jobId) {
        return Path.of(output(jobId));
    }

    private static JobSpec spec(String name) {
        return spec(name, Map.of());
    }

    private static JobSpec spec(String name, Map<String, String> parameters) {
        return new JobSpec(
                name,
                LocalPythonRunner.DRIVER,
                OutputFormat.CSV,
                "tests",
                null,
                null,
                null,
                JobSpec.DEFAULT_PRIORITY,
                Duration.ofMinutes(5),
                parameters,
                null);
    }

    private static RemoteStatus awaitEnd(LocalPythonRunner runner, RunHandle handle) {
        return await().atMost(PATIENCE)
                .until(() -> runner.poll(handle), status -> status.phase().isTerminal());
    }

    private static long[] awaitPids(Path file) {
        String line = await().atMost(PATIENCE)
                .until(() -> Files.exists(file) ? Files.readString(file).strip() : "", text -> !text.isEmpty());
        String[] parts = line.split(" ");
        return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
    }

    /** Whether the process runs; a killed process nobody has reaped yet (a zombie) does not. */
    private static boolean isRunning(long pid) throws IOException {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) {
            return false;
        }
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.exists(stat)) {
            return true;
        }
        String text;
        try {
            text = Files.readString(stat);
        } catch (IOException e) {
            return false; // gone while we looked
        }
        // "pid (comm) S ...": the state follows the last parenthesis.
        return text.charAt(text.lastIndexOf(')') + 2) != 'Z';
    }

    private static Map<String, String> readJson(Path file) throws IOException {
        return new ObjectMapper().readValue(file.toFile(), new TypeReference<Map<String, String>>() {});
    }
}
