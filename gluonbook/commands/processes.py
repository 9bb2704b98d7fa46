"""Processes, as the commands share them: interrupts, child process groups, cores per job (no MXNet needed).

- :func:`interrupts`: SIGTERM ends a command the way Ctrl-C does (``KeyboardInterrupt``), so it stops its
  children, keeps what is finished and exits with 130.
- :func:`start` and :func:`stop`: each child runs in its own session (process group), so stopping it stops what
  it started too (MXNet's workers, a trial's data loader); :func:`stop` sends SIGTERM to each group, then SIGKILL
  to what is left after a grace period.
- :func:`threads_per_job`: the cores this process may use, split over the jobs that run at once, so that parallel
  jobs share the machine instead of oversubscribing it.
"""
import contextlib
import os
import signal
import subprocess
import threading
import time

GRACE = 10  # seconds a process group gets after SIGTERM before SIGKILL


@contextlib.contextmanager
def interrupts():
    """Within the block, SIGTERM raises ``KeyboardInterrupt`` in the main thread, as Ctrl-C does; the previous
    handler is restored after it. Outside the main thread this does nothing (only it may handle signals)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _interrupt(signum, frame):
    raise KeyboardInterrupt(signal.Signals(signum).name)


def start(command, **popen):
    """Start ``command`` (a list) in a session of its own, with no input; ``popen`` goes to ``subprocess.Popen``."""
    return subprocess.Popen(command, stdin=subprocess.DEVNULL, start_new_session=True, **popen)


def stop(processes, grace=GRACE):
    """Stop each process and everything it started: SIGTERM to each one's process group, then, for what is still
    running after ``grace`` seconds, SIGKILL; returns once all of them have ended."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for process in processes:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, sig)
        wait_all(processes, grace)


def wait_all(processes, seconds):
    """Wait up to ``seconds`` for all ``processes`` to end; whether they have."""
    deadline = time.monotonic() + seconds
    while any(p.poll() is None for p in processes):
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)
    return True


def exit_code(returncode):
    """A process's return code as a shell reports it: 128 + N for a process killed by signal N."""
    return 128 - returncode if returncode < 0 else returncode


def cores():
    """The number of cores this process may run on (its CPU affinity where the system tells it)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def threads_per_job(jobs):
    """The OpenMP threads each of ``jobs`` parallel jobs gets: the cores split evenly, at least 1."""
    return max(1, cores() // jobs)
