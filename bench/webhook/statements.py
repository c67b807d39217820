#!/usr/bin/env python3
"""Summarises PostgreSQL's statement log of one benchmark database (BENCH_STATEMENT_LOG=1 in bench/webhook/run.ts).

  python3 bench/webhook/statements.py /var/log/postgresql/postgresql-15-main.log innkeeper_bench_webhook_<stamp> [top]

Groups the logged durations by phase (parse, bind, execute, simple statement) and the statement's text with numbers
and literals blanked, and prints the groups by total time: where the database's time per drained event goes.
"""
import re
import sys
from collections import defaultdict

path, database = sys.argv[1], sys.argv[2]
top = int(sys.argv[3]) if len(sys.argv) > 3 else 40
head = re.compile(r'^\S+ \S+ \S+ \[\d+\] \S*@(\S+) LOG:  duration: ([\d.]+) ms  (parse|bind|execute|statement)(?: [^:]*)?: (.*)$')
groups = defaultdict(lambda: [0, 0.0])
current = None


def close():
    global current
    if current:
        phase, ms, text = current
        text = re.sub(r'\s+', ' ', text)
        text = re.sub(r"'[^']*'", "'?'", text)
        text = re.sub(r'\$\d+', '$', text)
        text = re.sub(r'\b\d+\b', 'N', text)
        key = (phase, text[:160])
        groups[key][0] += 1
        groups[key][1] += ms
    current = None


with open(path, errors='replace') as log:
    for line in log:
        match = head.match(line)
        if match:
            close()
            if match.group(1) == database:
                current = (match.group(3), float(match.group(2)), match.group(4))
        elif current and line.startswith('\t'):
            current = (current[0], current[1], current[2] + ' ' + line.strip())
        else:
            close()
close()
total = sum(ms for _, ms in groups.values())
print(f'{sum(n for n, _ in groups.values())} statements logged, {total:.0f} ms in PostgreSQL')
for (phase, text), (n, ms) in sorted(groups.items(), key=lambda kv: -kv[1][1])[:top]:
    print(f'{ms:9.0f} ms {100 * ms / total:5.1f} % {n:7d}x {ms / n:7.3f} ms  {phase:9s} {text}')
