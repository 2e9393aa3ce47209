#!/usr/bin/env python3
"""Samples every 0.5 s the CPU (utime+stime) of processes carrying a migbench run mark,
keeping each PID's last value; on SIGTERM prints CPU seconds per command name, and the
machine's total busy CPU over the same time (from /proc/stat)."""
import os, signal, sys, time, collections
HZ = os.sysconf('SC_CLK_TCK')
last = {}
def busy():
    f = open('/proc/stat').readline().split()[1:]
    v = list(map(int, f)); return (sum(v) - v[3] - v[4]) / HZ
b0 = busy(); t0 = time.time()
stop = False
def h(*_):
    global stop; stop = True
signal.signal(signal.SIGTERM, h)
while not stop:
    for p in os.listdir('/proc'):
        if not p.isdigit(): continue
        try:
            env = open(f'/proc/{p}/environ', 'rb').read()
            cl = open(f'/proc/{p}/cmdline', 'rb').read()
            if b'MIGBENCH_RUN_ID=' not in env and b'dist/src/cli/main.js\0run' not in cl: continue
            st = open(f'/proc/{p}/stat').read()
            comm = st[st.index('(')+1:st.rindex(')')]
            f = st[st.rindex(')')+2:].split()
            if comm == 'node':
                cmd = open(f'/proc/{p}/cmdline','rb').read().split(b'\0')
                comm = 'node ' + os.path.basename(cmd[1].decode()) if len(cmd) > 1 else comm
            last[p] = (comm, (int(f[11]) + int(f[12])) / HZ)
        except Exception: pass
    time.sleep(0.5)
tot = collections.Counter()
for comm, s in last.values(): tot[comm] += s
wall = time.time() - t0
print(f'wall {wall:.1f} s; machine busy {busy()-b0:.1f} cpu-s of {2*wall:.1f}')
for k, v in tot.most_common(): print(f'{v:8.2f} cpu-s  {k}')
