#!/usr/bin/env python3
"""One markdown row per ./bb bench --json file: usage: bench_rows.py LABEL=FILE.json ..."""
import json, sys

print("| run | briefs/s | ratio | half rate: briefs/s, p99 ms | CPU ms per brief: API / orchestrator / agents = services | RabbitMQ / Redis / PostgreSQL | lost | load average |")
print("| --- | ---: | ---: | ---: | --- | --- | ---: | --- |")
for arg in sys.argv[1:]:
    label, path = arg.split("=", 1)
    d = json.load(open(path))
    s = d["services"]
    cpu = [s[n]["cpu_ms_per_brief"] for n in ("api", "orchestrator", "agents")]
    other = " / ".join(f'{s[n]["cpu_ms_per_brief"]:.2f}' if n in s else "–" for n in ("rabbitmq", "redis", "postgres"))
    h = d.get("half_rate") or {}
    run = d["run"]
    print(f'| {label} | {d["briefs_per_s"]:.1f} | {d["ratio"]:.3f} | {h.get("rate_per_s", 0):.1f}, {h.get("p99_ms", 0):.0f} | '
          f'{cpu[0]:.2f} / {cpu[1]:.2f} / {cpu[2]:.2f} = **{sum(cpu):.2f}** | {other} | {d["lost"]} | '
          f'{run["load_average_before"]:.1f} → {run["load_average_after"]:.1f} |')
