#!/usr/bin/env python3
"""Turn the benchmark's raw measurements into results.json, results.md and
SVG plots (gnuplot): per kernel and mode the median and spread of each
figure, and the patched/stock ratio.

Usage: scripts/bench-report.py RAW.jsonl OUTDIR
"""
import json
import statistics
import subprocess
import sys
from collections import defaultdict


def summary(values):
    return {"median": statistics.median(values), "min": min(values),
            "max": max(values), "n": len(values)}


def ratio(a, b):
    return round(a / b, 3) if b else None


def goals(results):
    """The issue's goals, each with the measurements it rests on."""
    dup = [e for e in results if e["kernel"] == "patched" and e["mode"] == "hold"
           and e["workload"] in ("storm", "udev", "burst")]
    worst = max((e["wasted"]["max"] for e in dup), default=None)
    lines = ["## Goals", "",
             "- wasted bytes under `hold`, every duplicate workload "
             "(storm at each C and vCPU count, udev, burst): max {} over {} "
             "groups".format("-" if worst is None else "{:,}".format(worst),
                             len(dup))]
    for e in results:
        if e["workload"] == "storm" and e["kernel"] == "patched" and \
                e["mode"] == "hold" and e["cpus"] == 4 and e.get("vs_stock"):
            lines.append("- storm wall time, hold/stock, C={}: concurrent "
                         "phase {}, serial phase {}".format(
                             e["c"], e["vs_stock"]["storm_ns"],
                             e["vs_stock"]["serial_ns"]))
    for e in results:
        if e["workload"] == "nodup" and e["kernel"] == "patched" and \
                e.get("vs_stock"):
            lines.append("- no-duplicate load/unload, {}/stock: {} "
                         "(spread of the repetitions: stock {:.1f}-{:.1f} s, "
                         "patched {:.1f}-{:.1f} s)".format(
                             e["mode"], e["vs_stock"]["ns"],
                             *stock_spread(results, "nodup"),
                             e["ns"]["min"] / 1e9, e["ns"]["max"] / 1e9))
    return lines + [""]


def stock_spread(results, workload):
    for e in results:
        if e["workload"] == workload and e["kernel"] == "stock":
            return e["ns"]["min"] / 1e9, e["ns"]["max"] / 1e9
    return float("nan"), float("nan")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[-1])
    raw, out = sys.argv[1], sys.argv[2]
    rows = [json.loads(line) for line in open(raw) if line.strip()]
    groups = defaultdict(list)
    for r in rows:
        key = (r["workload"], r["cpus"], r.get("c", 0), r["kernel"], r["mode"])
        groups[key].append(r)

    figures = {"storm": ["wasted", "avoided", "storm_ns", "serial_ns"],
               "udev": ["wasted", "avoided", "ns"],
               "burst": ["wasted", "avoided", "ns"],
               "nodup": ["ns"], "firmware": ["ns"],
               "records": ["bytes_per_record", "dump_ns"]}
    # Stock first, then the patched kernel's modes from stock-like to ours.
    order = {"stock": 0, "patched": 1, "shared": 0, "exclusive": 1,
             "hold": 2, "-": 3}

    def sort_key(item):
        workload, cpus, c, kernel, mode = item[0]
        return (workload, cpus, c, order[kernel], order[mode])

    results = []
    for (workload, cpus, c, kernel, mode), rs in sorted(groups.items(),
                                                        key=sort_key):
        entry = {"workload": workload, "cpus": cpus, "kernel": kernel,
                 "mode": mode}
        if workload == "storm":
            entry.update(c=c, serial=rs[0]["serial"])
        if workload == "records":
            entry.update(records=rs[0]["records"])
        for f in figures[workload]:
            entry[f] = summary([r[f] for r in rs])
        results.append(entry)

    def find(workload, cpus, c, kernel, mode):
        for e in results:
            if (e["workload"], e["cpus"], e.get("c", 0), e["kernel"],
                    e["mode"]) == (workload, cpus, c, kernel, mode):
                return e
        return None

    for e in results:
        if e["kernel"] != "patched":
            continue
        stock = find(e["workload"], e["cpus"], e.get("c", 0), "stock",
                     "shared")
        if not stock:
            continue
        e["vs_stock"] = {f: ratio(e[f]["median"], stock[f]["median"])
                         for f in figures[e["workload"]]}

    with open(f"{out}/results.json", "w") as fp:
        json.dump(results, fp, indent=1)
        fp.write("\n")

    md = goals(results)
    md += ["| workload | vCPUs | C | kernel | mode | wasted bytes | "
           "avoided bytes | storm ms (min-max) | serial ms | vs stock |",
           "|---|---|---|---|---|---|---|---|---|---|"]
    for e in results:
        if e["workload"] != "storm":
            continue
        vs = e.get("vs_stock", {})
        # Stock has no counter of what its idempotent path saves.
        avoided = ("n/a" if e["kernel"] == "stock"
                   else "{:,}".format(int(e["avoided"]["median"])))
        md.append("| storm | {} | {} | {} | {} | {:,} | {} | {:.1f} ({:.1f}-{:.1f}) "
                  "| {:.1f} | {} |".format(
                      e["cpus"], e["c"], e["kernel"], e["mode"],
                      int(e["wasted"]["median"]), avoided,
                      e["storm_ns"]["median"] / 1e6, e["storm_ns"]["min"] / 1e6,
                      e["storm_ns"]["max"] / 1e6, e["serial_ns"]["median"] / 1e6,
                      "wasted {}, storm {}".format(vs["wasted"], vs["storm_ns"])
                      if vs else "-"))
    md += ["", "| workload | kernel | mode | wasted bytes | avoided bytes | "
           "ms (min-max) | vs stock |", "|---|---|---|---|---|---|---|"]
    for e in results:
        if e["workload"] in ("storm", "records"):
            continue
        bytes_ = ["-", "-"]
        if "wasted" in e:
            bytes_ = ["{:,}".format(int(e["wasted"]["median"])),
                      "n/a" if e["kernel"] == "stock"
                      else "{:,}".format(int(e["avoided"]["median"]))]
        md.append("| {} | {} | {} | {} | {} | {:.1f} ({:.1f}-{:.1f}) | {} |".format(
            e["workload"], e["kernel"], e["mode"], *bytes_,
            e["ns"]["median"] / 1e6, e["ns"]["min"] / 1e6,
            e["ns"]["max"] / 1e6, e.get("vs_stock", {}).get("ns", "-")))
    for e in results:
        if e["workload"] == "records":
            md += ["", "| records | kernel memory per record (bytes) | "
                   "`modexcl stats -j` of a full table, best of 5 (ms) |",
                   "|---|---|---|",
                   "| {} | {:.0f} | {:.1f} |".format(
                       e["records"] if "records" in e else "-",
                       e["bytes_per_record"]["median"],
                       e["dump_ns"]["median"] / 1e6)]
    with open(f"{out}/results.md", "w") as fp:
        fp.write("\n".join(md) + "\n")
    print("\n".join(md))

    # Plots: wasted bytes and storm wall time against C, 4 vCPUs.
    # Wasted bytes also at 32 vCPUs (bytes only: timings there mean nothing).
    series = [("stock", "shared"), ("patched", "shared"), ("patched", "hold")]
    for fig, title, scale, cpus in (
            ("wasted", "wasted bytes (MiB)", 1 << 20, (4, 32)),
            ("storm_ns", "storm wall time (ms), 4 vCPUs", 1e6, (4,))):
        data = f"{out}/{fig}.dat"
        n = 0
        with open(data, "w") as fp:
            for cpu in cpus:
                for kernel, mode in series:
                    fp.write(f'"{kernel} {mode}, {cpu} vCPUs"\n')
                    for e in results:
                        if (e["workload"], e["cpus"], e["kernel"], e["mode"]) == \
                                ("storm", cpu, kernel, mode):
                            fp.write(f'{e["c"]} {e[fig]["median"] / scale}\n')
                    fp.write("\n\n")
                    n += 1
        script = (f'set terminal svg size 640,400; set output "{out}/{fig}.svg";'
                  f'set title "{title} against concurrent loaders";'
                  'set xlabel "concurrent loaders (C)"; set logscale x 2;'
                  'set key top left; '
                  f'plot for [i=0:{n - 1}] "{data}" index i '
                  'using 1:2 with linespoints title columnheader(1)')
        subprocess.run(["gnuplot", "-e", script], check=True)


if __name__ == "__main__":
    main()
