#!/usr/bin/env python3
"""Runs a command as a child subreaper and reaps every orphan it leaves.

PID 1 on these machines does not reap orphans; a test that SIGKILLs migbench on purpose
runs it under this so the daemons migbench left (and cleanup later kills) do not linger
as zombies. Exits with the command's status. With `--setsid` first, the command leads a
session (and process group) of its own, so a signal to its group spares this reaper.
"""
import ctypes, os, sys

PR_SET_CHILD_SUBREAPER = 36
ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
argv = sys.argv[1:]
setsid = argv[:1] == ["--setsid"]
if setsid:
    argv = argv[1:]
pid = os.fork()
if pid == 0:
    if setsid:
        os.setsid()
    os.execvp(argv[0], argv)
status = 0
while True:
    try:
        reaped, st = os.wait()
    except ChildProcessError:
        break
    if reaped == pid:
        status = os.waitstatus_to_exitcode(st)
        # Orphans may outlive the command (a SIGKILLed migbench leaves its daemons): say
        # when the command itself ended, so a test can clean up while this reaper waits.
        print(f"subreaper: command exited {status if status >= 0 else 128 - status}", file=sys.stderr, flush=True)
sys.exit(status if status >= 0 else 128 - status)
