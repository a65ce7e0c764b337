#!/usr/bin/env python3
"""Turn the benchmark's raw measurements into results.json, results.md and
SVG plots (gnuplot): per kernel and mode the median and spread of each
figure, and the patched/stock ratio. The Debian boots come first: per
release, vCPUs, kernel and mode, the module load calls of the boot by path,
what their duplicates cost by MODULE_STATS and by modexcl's records, and
the boot's times.

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
    for e in results:
        if e["workload"].startswith("nodup-") and e["kernel"] == "patched" \
                and e.get("vs_stock"):
            stock = [s for s in results if s["workload"] == e["workload"]
                     and s["kernel"] == "stock"][0]
            lines.append("- one load and unload of the {:,}-byte module by {}(), "
                         "{}: {:.1f} ms (spread {:.1f}-{:.1f}), stock {:.1f} ms "
                         "(spread {:.1f}-{:.1f}); {}/stock {}".format(
                             e["bytes"], e["workload"][len("nodup-"):], e["mode"],
                             *per_load(e), *per_load(stock), e["mode"],
                             e["vs_stock"]["ns"]))
    return lines + [""]


def per_load(e):
    """Median, min and max ms of one cycle of a nodup-PATH entry."""
    return tuple(e["ns"][k] / e["loops"] / 1e6 for k in ("median", "min", "max"))


def stock_spread(results, workload):
    for e in results:
        if e["workload"] == workload and e["kernel"] == "stock":
            return e["ns"]["min"] / 1e9, e["ns"]["max"] / 1e9
    return float("nan"), float("nan")


# A finit_module() of a compressed file without MODULE_INIT_COMPRESSED_FILE
# fails with -ENOEXEC: kmod 30 tries it first, then loads the decompressed
# image with init_module(). A format refusal, not a duplicate.
ENOEXEC = "-8"


def debian_boot(report):
    """One Debian boot's figures from its report (scripts/debian/mxreport.sh)."""
    sc = report.get("syscalls") or {}
    finit = sc.get("finit_module") or {}
    init = sc.get("init_module") or {}
    ms = report.get("module_stats") or {}
    mx = report.get("modexcl") or {}
    recs = [r for r in (mx.get("stats") or []) if r.get("reader") == "kernel-module"]
    times = report.get("times") or {}
    finit_plain = finit.get("by_flags", {}).get("0", 0)
    refused_format = finit.get("ret_flags_0", {}).get(ENOEXEC, 0)
    calls = finit.get("calls", 0) + init.get("calls", 0)
    loaded = int(ms.get("Mods ever loaded", 0))
    return {
        "finit_plain": finit_plain,
        "finit_plain_enoexec": refused_format,
        "finit_compressed": finit.get("by_flags", {}).get("4", 0),
        "init_module": init.get("calls", 0),
        "init_module_eexist": init.get("ret", {}).get("-17", 0),
        "loaded": loaded,
        # Every call that made no module live, less kmod 30's format refusals.
        "duplicates": calls - loaded - refused_format,
        "wasted_module_stats": int(ms.get("Virtual mem wasted bytes", 0)),
        "wasted_records": sum(int(r.get("bytes-wasted") or 0) for r in recs) if mx.get("family") else None,
        "avoided_records": sum(int(r.get("bytes-avoided") or 0) for r in recs) if mx.get("family") else None,
        "udev_settle_s": float(times.get("udev_settle", 0)),
        "multi_user_s": float(times.get("multi_user", 0)),
        "nics_bound": report.get("nics_bound", 0),
    }


def debian_results(rows):
    """Median and spread per (release, vCPUs, kernel, mode); markdown lines."""
    groups = defaultdict(list)
    for r in rows:
        groups[(r["release"], r["cpus"], r["kernel"], r["mode"])].append(debian_boot(r["report"]))
    order = {"stock": 0, "patched": 1, "shared": 0, "hold": 1}
    names = {"bookworm": "Debian 12 (kmod 30)", "trixie": "Debian 13 (kmod 34)"}
    results = []
    for key in sorted(groups, key=lambda k: (k[0], k[1], order[k[2]], order[k[3]])):
        release, cpus, kernel, mode = key
        boots = groups[key]
        entry = {"workload": "debian", "release": release, "cpus": cpus,
                 "kernel": kernel, "mode": mode, "boots": len(boots)}
        for f in boots[0]:
            values = [b[f] for b in boots if b[f] is not None]
            entry[f] = summary(values) if values else None
        results.append(entry)

    def med(e, f, fmt="{:,}"):
        return "-" if e[f] is None else fmt.format(e[f]["median"])

    md = ["## Debian boots", "",
          "Per boot (median of the boots; times min-max): module load calls by path "
          "(failed ones in brackets: finit plain -ENOEXEC, init_module -EEXIST), "
          "modules loaded, duplicates (calls that loaded nothing, less format "
          "refusals), bytes vmalloc'd for duplicates by MODULE_STATS and by "
          "modexcl's records, bytes modexcl counts as avoided, udev settle "
          "(from udevd's start) and multi-user.target.", "",
          "| Debian | vCPUs | kernel | mode | boots | finit plain | finit .ko.xz | init_module "
          "| loaded | duplicates | wasted (MODULE_STATS) | wasted (records) | avoided (records) "
          "| udev settle s | multi-user s |",
          "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for e in results:
        md.append("| {} | {} | {} | {} | {} | {} ({}) | {} | {} ({}) | {} | {} | {} | {} | {} "
                  "| {:.1f} ({:.1f}-{:.1f}) | {:.1f} ({:.1f}-{:.1f}) |".format(
                      names.get(e["release"], e["release"]), e["cpus"], e["kernel"],
                      e["mode"] if e["kernel"] == "patched" else "-", e["boots"],
                      med(e, "finit_plain", "{:.0f}"), med(e, "finit_plain_enoexec", "{:.0f}"),
                      med(e, "finit_compressed", "{:.0f}"),
                      med(e, "init_module", "{:.0f}"), med(e, "init_module_eexist", "{:.0f}"),
                      med(e, "loaded", "{:.0f}"), med(e, "duplicates", "{:.0f}"),
                      med(e, "wasted_module_stats", "{:,.0f}"),
                      "n/a" if e["kernel"] == "stock" else med(e, "wasted_records", "{:,.0f}"),
                      "n/a" if e["kernel"] == "stock" else med(e, "avoided_records", "{:,.0f}"),
                      e["udev_settle_s"]["median"], e["udev_settle_s"]["min"],
                      e["udev_settle_s"]["max"], e["multi_user_s"]["median"],
                      e["multi_user_s"]["min"], e["multi_user_s"]["max"]))
    return results, md + [""]


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[-1])
    raw, out = sys.argv[1], sys.argv[2]
    rows = [json.loads(line) for line in open(raw) if line.strip()]
    deb_results, deb_md = debian_results([r for r in rows if r["workload"] == "debian"])
    rows = [r for r in rows if r["workload"] != "debian"]
    groups = defaultdict(list)
    for r in rows:
        key = (r["workload"], r["cpus"], r.get("c", 0), r["kernel"], r["mode"])
        groups[key].append(r)

    figures = {"storm": ["wasted", "avoided", "storm_ns", "serial_ns"],
               "udev": ["wasted", "avoided", "ns"],
               "burst": ["wasted", "avoided", "ns"],
               "nodup": ["ns"], "nodup-finit_module": ["ns"],
               "nodup-init_module": ["ns"], "firmware": ["ns"],
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
        if workload.startswith("nodup-"):
            entry.update(loops=rs[0]["loops"], bytes=rs[0]["bytes"])
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
        json.dump(deb_results + results, fp, indent=1)
        fp.write("\n")

    md = deb_md
    if not results:
        # The Debian boots alone (scripts/bench.sh -w debian).
        with open(f"{out}/results.md", "w") as fp:
            fp.write("\n".join(md) + "\n")
        print("\n".join(md))
        return
    md += goals(results)
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
    # A run without the storm (scripts/bench.sh -W) has nothing to plot.
    if not any(e["workload"] == "storm" for e in results):
        return
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
