#!/usr/bin/env python3
"""Top frames by inclusive CPU from a dotnet-trace speedscope file (dotnet-sampled-thread-time profile).

usage: top_frames.py FILE.speedscope.json [--cpu-ms-per-brief X] [--top N] [--match REGEX]

A sample whose leaf is CPU_TIME ran managed code. One whose leaf is UNMANAGED_CODE_TIME was in native code: counted as
CPU unless its caller is a wait (the thread was blocked). GC threads are native and never sampled: compare the total
with the process's CPU time (/proc) to see what the samples miss. With --cpu-ms-per-brief (the bench's figure for the
same run), each share is also given in ms per brief.
"""
import argparse, collections, json, re

WAIT = re.compile(r"Monitor\.Wait|WaitHandle\.Wait|WaitOne|LowLevelLifoSemaphore|LowLevelMonitor|Thread\.Sleep|"
                  r"SpinThenBlockingWait|ManualResetEventSlim\.Wait|SemaphoreSlim\.Wait|WaitForSocketEvents|"
                  r"SocketAsyncEngine\.EventLoop|Interop\+Sys\.WaitForSocketEvents|Interop\+Sys\.Read\b|"
                  r"ReadFileNative|ThreadPoolTypedWorkItemQueue|TimerQueue\.TimerThread|WaitForPendingFinalizers|"
                  r"BlockingCollection|PipeReader|ReadAsync|Console|GetQueuedCompletionStatus|PortableThreadPool\+GateThread|"
                  r"WaitSubsystem|Thread\.Join|Task\.Wait|Task\.InternalWait")

# The frame that was running, when it is one of these (the caller does not matter).
OWN_CATEGORIES = [
    ("native, unresolved (runtime helpers: allocation, casts, stubs)", r"^\?!\?$"),
    ("GC: waiting at a GC poll", r"PollGC"),
    ("thread pool: worker loop, wake-ups", r"PortableThreadPool|LowLevelLifoSemaphore|ThreadPoolWorkQueue"),
    ("lock contention", r"Monitor\.(Try)?Enter_Slowpath|Lock\.TryEnterSlow"),
    ("sockets (send, receive)", r"System\.Net\.Sockets"),
]
# Otherwise the innermost frame, from the running one up, that belongs to one of these.
CATEGORIES = [
    ("GC: allocation", r"GC\b|Allocat|gc_heap|GarbageCollect"),
    ("logging", r"Microsoft\.Extensions\.Logging|ConsoleLogger|LoggerMessage|Logger`1|\.Log(Information|Warning|Debug)"),
    ("telemetry (Activity, metrics)", r"System\.Diagnostics\.Activity|Diagnostics\.Metrics|OpenTelemetry|DiagnosticListener"),
    ("JSON", r"System\.Text\.Json|Utf8JsonReader|Utf8JsonWriter|JsonSerializer|Newtonsoft"),
    ("schema check", r"SchemaVerdict|SectionSchemas|Json\.Schema"),
    ("our code (BusinessBrief.*)", r"^BusinessBrief[.a-zA-Z]*!"),
    ("Redis client", r"StackExchange\.Redis"),
    ("PostgreSQL client", r"Npgsql|Dapper"),
    ("RabbitMQ client", r"RabbitMQ\.Client"),
    ("JWT / auth", r"IdentityModel|JsonWebToken|Authentication"),
    ("Kestrel / ASP.NET Core", r"Microsoft\.AspNetCore"),
    ("MassTransit", r"MassTransit"),
]


def walk(profile, frames):
    """Yields (stack as frame indexes, duration ms) for each sample span of one thread."""
    stack, opened = [], []
    for event in profile["events"]:
        if event["type"] == "O":
            stack.append(event["frame"])
            opened.append(event["at"])
        else:
            leaf_at = opened.pop()
            frame = stack[-1]
            if not (len(stack) and frames[frame]["name"].endswith("_TIME")):
                stack.pop()
                continue
            yield list(stack), event["at"] - leaf_at
            stack.pop()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--cpu-ms-per-brief", type=float)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--match", help="only frames whose name matches this regex in the top list")
    parser.add_argument("--group", action="append", default=[], metavar="NAME=REGEX",
                        help="also report the share of samples with any frame matching REGEX (repeatable)")
    args = parser.parse_args()
    data = json.load(open(args.file))
    frames = data["shared"]["frames"]
    names = [f["name"] for f in frames]
    inclusive = collections.Counter()
    own = collections.Counter()
    category = collections.Counter()
    groups = [(g.split("=", 1)[0], re.compile(g.split("=", 1)[1])) for g in args.group]
    grouped = collections.Counter()
    total = managed = native = blocked = 0.0
    for profile in data["profiles"]:
        for stack, ms in walk(profile, frames):
            leaf = names[stack[-1]]
            # A thread-pool worker in native code right under its loop is waiting for work on the pool's semaphore.
            idle_worker = len(stack) > 1 and names[stack[-2]].endswith("WorkerThread.WorkerThreadStart()")
            if leaf == "UNMANAGED_CODE_TIME" and (idle_worker or any(WAIT.search(names[f]) for f in stack[-4:-1])):
                blocked += ms
                continue
            total += ms
            if leaf == "CPU_TIME":
                managed += ms
            else:
                native += ms
            for f in set(stack):
                inclusive[f] += ms
            if len(stack) > 1:
                own[stack[-2]] += ms
            for name, rx in groups:
                if any(rx.search(names[f]) for f in stack):
                    grouped[name] += ms
            own_hit = next((c for c, rx in OWN_CATEGORIES if len(stack) > 1 and re.search(rx, names[stack[-2]])), None)
            for f in reversed(stack[:-1]):
                hit = own_hit or next((c for c, rx in CATEGORIES if re.search(rx, names[f])), None)
                if hit:
                    category[hit] += ms
                    break
            else:
                category["other (.NET libraries, runtime)"] += ms
    scale = (args.cpu_ms_per_brief / total) if args.cpu_ms_per_brief else None
    print(f"samples on CPU: {total/1000:.1f} s (managed {managed/1000:.1f} s, native {native/1000:.1f} s); blocked {blocked/1000:.1f} s")

    def row(label, ms):
        extra = f"{ms*scale:6.2f} ms/brief" if scale else ""
        return f"{100*ms/total:5.1f} %  {extra}  {label}"

    print("\nby category (innermost match):")
    for c, ms in category.most_common():
        print(row(c, ms))
    if groups:
        print("\ngroups (samples with a matching frame anywhere in the stack):")
        for name, _ in groups:
            print(row(name, grouped[name]))
    print("\ntop frames by own CPU (the frame that was running):")
    for f, ms in own.most_common(args.top // 2):
        print(row(names[f][:200], ms))
    print("\ntop frames by inclusive CPU:")
    shown = 0
    for f, ms in inclusive.most_common():
        name = names[f]
        if name.endswith("_TIME") or name.startswith(("Thread (", "Process", "Threads", "(Non-Activities)")):
            continue
        if args.match and not re.search(args.match, name):
            continue
        print(row(name[:200], ms))
        shown += 1
        if shown >= args.top:
            break


if __name__ == "__main__":
    main()
