#!/usr/bin/env python3
"""Check one Debian image boot from its report (scripts/debian/mxreport.sh):
print TAP, the boot's numbers, and leave "PASSED FAILED SKIPPED" in
OUTDIR/counts as scripts/check.sh expects.

Usage: scripts/debian/check-report.py [--nics N] [--patched] NAME OUTDIR
OUTDIR holds vm-run.sh's results.log and reports.log. With --patched the
boot's module loads must show in modexcl's records: for the kernel-module
reader, loads + dup-concurrent + dup-serial + dup-read + format-refused +
failed summed over the records equals the finit_module() and init_module()
calls of the boot (every call reaches the records: the first load, joiners
of a load in flight, refusals under hold, late duplicates that read,
compressed files offered without the flag, failures; an init_module() call
in its module's "[init_module]" record). The records of
the NIC drivers' module files must also give the inode and device that
stat(2) gives for them in the guest.
"""
import json
import os
import sys

COUNTED = ("loads", "dup-concurrent", "dup-serial", "dup-read",
           "format-refused", "failed")


def load_report(results):
    """The report object and the guest's rc (None when missing)."""
    report, rc = None, None
    try:
        with open(results, encoding="utf-8", errors="replace") as f:
            lines = [line.strip("\r\n") for line in f]
    except OSError:
        return None, None, "no results.log"
    err = None
    for line in lines:
        if line.startswith("{"):
            try:
                report = json.loads(line)
            except json.JSONDecodeError as e:
                err = "the report is no JSON: %s" % e
        elif line.startswith("MODEXCL-RESULT: rc="):
            rc = int(line.split("=", 1)[1].split()[0] or -1)
    if report is None and err is None:
        err = "no report in results.log"
    return report, rc, err


class Tap:
    def __init__(self, name):
        self.name, self.n, self.lines = name, 0, []
        self.passed = self.failed = self.skipped = 0

    def result(self, ok, what, directive=""):
        self.n += 1
        line = "%s %d - %s: %s" % ("ok" if ok else "not ok", self.n, self.name, what)
        if directive:
            line += " # " + directive
        self.lines.append(line)
        print(line)
        if directive.startswith("SKIP"):
            self.skipped += 1
        elif ok:
            self.passed += 1
        else:
            self.failed += 1

    def diag(self, text):
        for line in text.splitlines():
            print("# " + line)


def rets(by_ret):
    """{"0": 3, "-17": 29} as "0 x3, -17 x29"."""
    return ", ".join("%s x%d" % (r, n) for r, n in sorted(by_ret.items(), key=lambda kv: -int(kv[0])))


def syscalls_summary(sc):
    finit = sc["finit_module"]
    return ("finit_module() %d (flags 0: %d [%s]; flags 4: %d [%s]), init_module() %d [%s]"
            % (finit["calls"], finit["by_flags"].get("0", 0), rets(finit["ret_flags_0"]),
               finit["by_flags"].get("4", 0), rets(finit["ret_flags_4"]),
               sc["init_module"]["calls"], rets(sc["init_module"]["ret"])))


def textfile_check(tap, tf, patched):
    """The tool's textfile timer (modexcl-textfile.timer, enabled in the
    image): on the patched kernel it wrote modexcl.prom for node_exporter,
    one policy series per reader and mode at least, and node_exporter
    serves them on /metrics; on stock its condition (/sys/kernel/modexcl)
    skipped it, no file exists and /metrics has no modexcl series."""
    tf = tf or {}
    f = tf.get("file")
    if patched:
        ok = (tf.get("ran") and tf.get("condition") == "yes" and tf.get("result") == "success"
              and f is not None and f.get("mode") == "644" and f.get("policy_series", 0) >= 6)
        tap.result(bool(ok), "the textfile timer wrote modexcl.prom for node_exporter")
    else:
        ok = tf.get("ran") and tf.get("condition") == "no" and f is None
        tap.result(bool(ok), "the textfile unit skips itself on a kernel without modexcl")
    if not ok:
        tap.diag("textfile: %s" % json.dumps(tf))
    # node_exporter's textfile collector serves the file on /metrics.
    ne = tf.get("node_exporter") or {}
    if patched:
        ok = (ne.get("status") == "200" and ne.get("textfile_scrape_error") == 0
              and ne.get("policy_series", 0) == (f or {}).get("policy_series", -1))
        tap.result(ok, "node_exporter serves modexcl's series on /metrics")
    else:
        ok = ne.get("status") == "200" and ne.get("modexcl_series") == 0
        tap.result(ok, "node_exporter serves no modexcl series on a kernel without modexcl")
    if not ok:
        tap.diag("node_exporter scrape: %s" % json.dumps(ne))


def main(argv):
    nics, patched, args = 32, False, []
    it = iter(argv)
    for a in it:
        if a == "--nics":
            nics = int(next(it))
        elif a == "--patched":
            patched = True
        else:
            args.append(a)
    if len(args) != 2:
        sys.stderr.write(__doc__.split("\n\n")[1] + "\n")
        return 2
    name, out = args
    tap = Tap(name)
    print("TAP version 13")
    report, rc, err = load_report(os.path.join(out, "results.log"))

    ok = report is not None and rc == 0
    tap.result(ok, "the boot completed and reported (kernel %s)"
               % (report or {}).get("kernel", "?"))
    if not ok:
        tap.diag(err or "the guest's rc is %s" % rc)

    try:
        with open(os.path.join(out, "reports.log"), encoding="utf-8", errors="replace") as f:
            kreports = f.read().strip()
        tap.result(not kreports, "no kernel report in the console")
        if kreports:
            tap.diag(kreports)
    except OSError:
        tap.result(False, "no kernel report in the console")
        tap.diag("vm-run.sh left no reports.log: the console was not scanned")

    if report is None:
        tap.result(False, "all %d NICs bound to virtio_net" % nics)
        if patched:
            tap.result(False, "every module load of the boot is in modexcl's records")
        return finish(tap, out, None)

    bound = report.get("nics_bound", 0)
    tap.result(bound == nics, "all %d NICs bound to virtio_net" % nics)
    if bound != nics:
        tap.diag("%d bound, %d virtio-net devices present"
                 % (bound, report.get("nics_present", 0)))

    textfile_check(tap, report.get("textfile"), patched)

    sc = report.get("syscalls")
    mx = report.get("modexcl") or {}
    if patched:
        what = "every module load of the boot is in modexcl's records"
        if not sc or sc.get("lost_events") or sc.get("unmatched"):
            tap.result(False, what)
            tap.diag("the syscall trace is missing or incomplete: %s" % json.dumps(sc))
        elif not mx.get("family"):
            tap.result(False, what)
            tap.diag("no modexcl family: %s" % mx.get("error"))
        else:
            recs = [r for r in mx.get("stats") or [] if r.get("reader") == "kernel-module"]
            counted = sum(int(r.get(k) or 0) for r in recs for k in COUNTED)
            finit = sc["finit_module"]["calls"]
            init = sc["init_module"]["calls"]
            tap.diag("kernel-module records %d: %s = %d; finit_module() %d, init_module() %d"
                     % (len(recs), " + ".join(COUNTED), counted, finit, init))
            files_check(tap, report.get("files"), recs, finit)
            # IMA is built in and loads no policy, as on Debian: hold must
            # apply, and the kernel must not report a mode standing aside.
            policy = mx.get("policy") or {}
            tap.result(policy.get("inactive") == {},
                       "with IMA built in and no IMA policy, every mode applies "
                       "(kernel-module %s)" % policy.get("kernel-module"))
            tap.result(counted == finit + init, what)
    return finish(tap, out, report)


def same_path(recorded, path):
    """Whether a record's path (left-truncated to "..." and its tail when
    long) names PATH."""
    if recorded is None:
        return False
    if recorded.startswith("..."):
        return path.endswith(recorded[3:])
    return recorded == path


def files_check(tap, files, recs, finit):
    """Each NIC driver's module file has a record naming it by stat(2)'s
    inode and st_dev. Only finit_module() reads a file: a boot without
    one (kmod 30 loads with init_module()) has no record to check."""
    what = "the records name each NIC driver's file by stat(2)'s inode and device"
    if finit == 0:
        tap.result(True, what, "SKIP no finit_module() call read a file (kmod 30 loads "
                   "with init_module(): its records are the modules' [init_module] ones)")
        return
    bad = []
    for f in files or []:
        rec = next((r for r in recs if same_path(r.get("path"), f["path"])), None)
        if rec is None:
            bad.append("%s: no record" % f["path"])
        elif (rec.get("ino"), rec.get("dev")) != (f["ino"], f["dev"]):
            bad.append("%s: record ino %s dev %s, stat(2) ino %s dev %s"
                       % (f["path"], rec.get("ino"), rec.get("dev"), f["ino"], f["dev"]))
    tap.result(bool(files) and not bad, what)
    if not files:
        tap.diag("the report names no module file")
    for b in bad:
        tap.diag(b)


def finish(tap, out, report):
    if report is not None:
        sc = report.get("syscalls")
        ms = report.get("module_stats") or {}
        mx = report.get("modexcl") or {}
        t = report.get("times") or {}
        tap.diag("%s, %s" % (report.get("kernel"), report.get("kmod")))
        tap.diag(syscalls_summary(sc) if sc else "no syscall trace")
        tap.diag("MODULE_STATS: %s" % (
            ", ".join("%s %s" % (k, ms[k]) for k in ms if k != "duplicates") if ms else "none"))
        if ms.get("duplicates"):
            tap.diag("MODULE_STATS duplicates: %s" % ", ".join(
                "%s %s (%s)" % (d["module"], d["count"], d["reason"]) for d in ms["duplicates"]))
        if mx.get("family"):
            for r in mx.get("stats") or []:
                tap.diag("modexcl %s %s: %s, bytes-wasted %s, bytes-avoided %s" % (
                    r.get("reader"), r.get("module") or r.get("path"),
                    " ".join("%s %s" % (k, r.get(k)) for k in COUNTED),
                    r.get("bytes-wasted"), r.get("bytes-avoided")))
            policy = dict(mx.get("policy") or {})
            inactive = policy.pop("inactive", None) or {}
            tap.diag("modexcl policy: %s" % " ".join(
                "%s=%s%s" % (r, m, "(inactive: %s)" % ",".join(inactive[r])
                             if r in inactive else "") for r, m in policy.items()))
        else:
            tap.diag("modexcl: no family (%s)" % (mx.get("error") or "").strip())
        tap.diag("NICs bound %s of %s; udev settled %.1f s after udevd started, "
                 "multi-user.target at %.1f s" % (
                     report.get("nics_bound"), report.get("nics_present"),
                     t.get("udev_settle", 0), t.get("multi_user", 0)))
        tap.diag("system %s%s" % (report.get("system_state"),
                                  "; failed units: " + report["failed_units"].replace("\n", " ")
                                  if report.get("failed_units") else ""))
        with open(os.path.join(out, "report.json"), "w", encoding="utf-8") as f:
            json.dump(report, f, indent=1)
            f.write("\n")
    with open(os.path.join(out, "counts"), "w", encoding="utf-8") as f:
        f.write("%d %d %d\n" % (tap.passed, tap.failed, tap.skipped))
    print("%s: %d passed, %d failed, %d skipped" % (tap.name, tap.passed, tap.failed, tap.skipped))
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
