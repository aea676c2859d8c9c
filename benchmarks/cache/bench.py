#!/usr/bin/env python3
"""Benchmarks the shared cell cache and sharded builds against Debian's nginx on loopback.

A generated course of N notes (60 by default) whose one cell each takes about a second (it
sleeps, so that shards running side by side on one machine stand in for separate machines; its
compile still costs CPU), and three formulas of its own (typeset math is shared too). Prints, with medians where repeated:

- the wall time of 1, 2 and 4 shards started side by side against an empty server, plus the
  merge build (--require-cache) that renders the site from the server;
- the merge build of a fully remote-cached course on a fresh machine, against a locally cached
  rebuild (target <= 1.5x);
- the time a cache miss costs per note on loopback: the lookup, and the lookup plus the upload
  after the run (target <= 5 ms).

Usage: benchmarks/cache/bench.py NOTES_BINARY [--notes N] [--repeats K] [--keep]
"""
import argparse, os, re, shutil, socket, statistics, subprocess, sys, tempfile, time

parser = argparse.ArgumentParser()
parser.add_argument("binary")
parser.add_argument("--notes", type=int, default=60)
parser.add_argument("--repeats", type=int, default=5)
parser.add_argument("--keep", action="store_true")
args = parser.parse_args()
args.binary = os.path.abspath(args.binary)

root = tempfile.mkdtemp(prefix="notes-bench-cache-")
notes = os.path.join(root, "notes")
os.makedirs(notes)
for i in range(1, args.notes + 1):
    with open(os.path.join(notes, f"note-{i:03}.md"), "w") as f:
        f.write(f"""---
title: Slow Note {i}
order: {i}
---

## A cell of about a second

```swift
Thread.sleep(forTimeInterval: 1)
var random = Random(seed: {i})
print("note {i}:", random.normal())
```

Its seed is `{{swift}} {i}`, its loss $C_{{{i}}} = \\tfrac{{1}}{{2}} \\lVert y - a^L \\rVert^2$ and its rate
$\\eta = {i} \\cdot 10^{{-3}}$:

$$\\frac{{\\partial C_{{{i}}}}}{{\\partial w^l_{{jk}}}} = a^{{l-1}}_k \\, \\delta^l_j, \\qquad
\\delta^L = \\nabla_a C_{{{i}}} \\odot \\sigma'(z^L)$$
""")

# nginx, as the tests start it: everything inside the benchmark folder.
nginx_dir = os.path.join(root, "nginx")
for sub in ["root/ac", "root/cas", "temp", "logs"]:
    os.makedirs(os.path.join(nginx_dir, sub))
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
user = "user root root;\n" if os.getuid() == 0 else ""
with open(os.path.join(nginx_dir, "nginx.conf"), "w") as f:
    f.write(f"""{user}worker_processes 2;
daemon off;
pid {nginx_dir}/nginx.pid;
error_log {nginx_dir}/logs/error.log warn;
events {{ worker_connections 512; }}
http {{
  access_log off;
  client_body_temp_path {nginx_dir}/temp/body;
  proxy_temp_path {nginx_dir}/temp/proxy;
  fastcgi_temp_path {nginx_dir}/temp/fastcgi;
  uwsgi_temp_path {nginx_dir}/temp/uwsgi;
  scgi_temp_path {nginx_dir}/temp/scgi;
  server {{
    listen 127.0.0.1:{port};
    root {nginx_dir}/root;
    client_max_body_size 1g;
    location / {{ dav_methods PUT; create_full_put_path on; }}
  }}
}}
""")
nginx = subprocess.Popen(["nginx", "-p", nginx_dir, "-c", os.path.join(nginx_dir, "nginx.conf"),
                          "-e", os.path.join(nginx_dir, "logs/error.log")],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
url = f"http://127.0.0.1:{port}/"
for _ in range(200):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
        break
    except OSError:
        time.sleep(0.025)

env = dict(os.environ)
env["NOTES_ENGINE_CACHE"] = os.path.join(root, "engine")
env.pop("NOTES_REMOTE_CACHE", None)


def clear_server():
    for sub in ["ac", "cas"]:
        folder = os.path.join(nginx_dir, "root", sub)
        shutil.rmtree(folder)
        os.makedirs(folder)


def machine(name):
    """A fresh cache folder and site for one simulated machine."""
    path = os.path.join(root, "machines", name)
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def start(path, *extra):
    return subprocess.Popen([args.binary, "build", "--notes", notes, "--cache", os.path.join(path, "cache"),
                             "--output", os.path.join(path, "site"), *extra],
                            cwd=path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(process):
    out, err = process.communicate()
    if process.returncode != 0:
        sys.exit(f"notes build failed:\n{out}\n{err}")
    return out + err


def timed(path, *extra):
    began = time.perf_counter()
    output = finish(start(path, *extra))
    return time.perf_counter() - began, output


def summary(output):
    return next(line for line in output.splitlines() if line.startswith(("Built", "Ran shard")))


try:
    # The engine, compiled once for every simulated machine (each real one would do it in parallel).
    began = time.perf_counter()
    warm = machine("warm")
    seconds, _ = timed(warm, "--shard", f"1/{args.notes}")
    print(f"corpus: {args.notes} notes, one cell each sleeping 1 s and three formulas; {os.cpu_count()} cores; "
          f"engine compiled once, shared: {seconds:.1f} s (with the first note)")

    print("\nShards started side by side against an empty server, then the merge (--require-cache):")
    lookups = None
    for count in [1, 2, 4]:
        clear_server()
        paths = [machine(f"shard-{count}-{i}") for i in range(1, count + 1)]
        began = time.perf_counter()
        processes = [start(p, "--remote-cache", url, "--shard", f"{i}/{count}") for i, p in enumerate(paths, 1)]
        outputs = [finish(p) for p in processes]
        shards = time.perf_counter() - began
        merge_seconds, merge_output = timed(machine(f"merge-{count}"), "--remote-cache", url, "--require-cache")
        ran = [int(re.search(r"(\d+) notes? run", summary(o)).group(1)) for o in outputs]
        print(f"  {count} shard{'s' if count > 1 else ' '}: {shards:6.1f} s (notes run per shard {ran}), "
              f"merge {merge_seconds:5.2f} s, total {shards + merge_seconds:6.1f} s")
        if count == 1:
            traffic = re.search(r"(\d+) requests, ([\d.]+) s waiting", outputs[0])
            lookups = (int(traffic.group(1)), float(traffic.group(2)))

    # The server now holds the whole course (from the 4-shard run, merged).
    print(f"\nMerge on a fresh machine against a locally cached rebuild, medians of {args.repeats}:")
    local = machine("local")
    timed(local, "--remote-cache", url)  # fills the local cache and the site
    rebuilds = [timed(local)[0] for _ in range(args.repeats)]
    cells_only = []
    for _ in range(args.repeats):
        shutil.rmtree(os.path.join(local, "site"))
        for leftover in ["pages", "notes"]:
            shutil.rmtree(os.path.join(local, "cache", leftover), ignore_errors=True)
        cells_only.append(timed(local)[0])
    merges = [timed(machine("merge"), "--remote-cache", url, "--require-cache")[0] for _ in range(args.repeats)]
    rebuild, fresh_local, merge = statistics.median(rebuilds), statistics.median(cells_only), statistics.median(merges)
    print(f"  locally cached rebuild (site and every cache kept):      {rebuild:6.3f} s")
    print(f"  local build from cached cells only (no site, no pages):  {fresh_local:6.3f} s")
    print(f"  merge, fresh machine, every result from the server:      {merge:6.3f} s")
    for name, reference in [("locally cached rebuild", rebuild), ("local build from cached cells", fresh_local)]:
        verdict = "PASS" if merge <= 1.5 * reference else "FAIL"
        print(f"  merge / {name}: {merge / reference:.2f}x (target <= 1.5x): {verdict}")

    print(f"\nCost of a miss per note on loopback, medians of {args.repeats}:")
    clear_server()
    with_remote, without = [], []
    for _ in range(args.repeats):
        # --require-cache stops after the lookups: the difference is the lookups' cost. Both
        # start from an empty cache folder, so both ask swiftc its version.
        for remote, times in [(["--remote-cache", url], with_remote), ([], without)]:
            path = machine("miss")
            began = time.perf_counter()
            subprocess.run([args.binary, "check", "--notes", notes, "--cache", os.path.join(path, "cache"),
                            "--require-cache", *remote], cwd=path, env=env, capture_output=True)
            times.append(time.perf_counter() - began)
    lookup = (statistics.median(with_remote) - statistics.median(without)) / args.notes
    print(f"  lookup miss (GET /ac -> 404, 8 at a time), wall per note: {lookup * 1000:6.2f} ms")
    requests, waited = lookups
    per_note = waited / args.notes
    verdict = "PASS" if per_note <= 0.005 else "FAIL"
    print(f"  miss round trip in the 1-shard run: {requests} requests for {args.notes} notes, "
          f"{per_note * 1000:.2f} ms waiting per note (lookup, then after the run: entry check, blob "
          f"and entry upload) (target <= 5 ms): {verdict}")
finally:
    nginx.terminate()
    nginx.wait()
    if args.keep:
        print(f"\nkept {root}")
    else:
        shutil.rmtree(root, ignore_errors=True)
