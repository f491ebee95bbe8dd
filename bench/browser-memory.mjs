/**
 * Peak memory of a process tree, sampled from /proc (Linux only): the sum of VmRSS over the
 * processes, and the sum of Pss (from smaps_rollup, where readable). RSS counts pages shared by
 * several Chromium processes once per process, so it overstates; PSS splits shared pages among
 * their users and is the fairer total.
 */
import { readdirSync, readFileSync } from "node:fs";

/** Parent pid of every process, read from /proc/<pid>/stat. */
function parents() {
  const map = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // The command name may hold spaces and parentheses; fields resume after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      map.set(Number(entry), Number(fields[1]));
    } catch {}
  }
  return map;
}

/** Pids of every descendant of `root` (not `root` itself). */
export function descendants(root) {
  const parentOf = parents();
  const out = [];
  let frontier = [root];
  while (frontier.length > 0) {
    const next = [];
    for (const [pid, ppid] of parentOf) if (frontier.includes(ppid)) next.push(pid);
    out.push(...next);
    frontier = next;
  }
  return out;
}

function kilobytes(text, field) {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text);
  return match ? Number(match[1]) * 1024 : 0;
}

/** Chromium's process kind from its command line (`--type=renderer`…); "browser" without one. */
function kindOf(pid) {
  try {
    // Chromium rewrites its process title, so arguments may be joined by spaces instead of NULs.
    const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
    const type = /--type=(\S+)/.exec(args)?.[1] ?? "browser";
    const sub = /--utility-sub-type=(\S+)/.exec(args)?.[1]?.split(".").at(-1);
    return sub ? `${type}:${sub}` : type;
  } catch {
    return "gone";
  }
}

/**
 * Current RSS and PSS totals (bytes) over `pids`, and PSS by process kind (renderer, gpu-process,
 * utility:NetworkService…); processes that have exited count 0.
 */
export function memoryOf(pids) {
  let rss = 0;
  let pss = 0;
  const byKind = {};
  for (const pid of pids) {
    try {
      rss += kilobytes(readFileSync(`/proc/${pid}/status`, "utf8"), "VmRSS");
      const own = kilobytes(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"), "Pss");
      pss += own;
      const kind = kindOf(pid);
      byKind[kind] = (byKind[kind] ?? 0) + own;
    } catch {}
  }
  return { rss, pss, byKind };
}

/**
 * Samples every `intervalMs` the processes that descend from `root` and that `include(pid)`
 * accepts (the tree is re-read each time: Chromium starts renderers and workers on demand).
 * `phase(name)` starts a named phase (e.g. "load", "audit"): the peaks are kept per phase too, so a
 * report can say which step set the overall peak. `stop()` returns the peaks, the number of samples,
 * `byKind` (PSS per process kind at the peak: which process holds the memory) and `phases`
 * (name → { rss, pss }); `current()` the latest sample.
 */
export function sampleMemory(root, include, intervalMs = 500) {
  const peak = { rss: 0, pss: 0, processes: 0, samples: 0, byKind: {} };
  const last = { rss: 0, pss: 0 };
  const phases = {};
  let current = null;
  const tick = () => {
    const pids = descendants(root).filter(include);
    const { rss, pss, byKind } = memoryOf(pids);
    last.rss = rss;
    last.pss = pss;
    peak.rss = Math.max(peak.rss, rss);
    if (pss > peak.pss) peak.byKind = byKind;
    peak.pss = Math.max(peak.pss, pss);
    peak.processes = Math.max(peak.processes, pids.length);
    peak.samples++;
    if (current) {
      const p = phases[current];
      p.rss = Math.max(p.rss, rss);
      p.pss = Math.max(p.pss, pss);
    }
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  return {
    /** The latest sample. */
    current: () => ({ ...last }),
    phase(name) {
      tick();
      current = name;
      phases[name] ??= { rss: 0, pss: 0 };
      tick();
    },
    stop() {
      clearInterval(timer);
      tick();
      return { ...peak, phases };
    },
  };
}

/** True when /proc/<pid>/cmdline names a Chromium binary. */
export function isChromium(pid) {
  try {
    const argv0 = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0] ?? "";
    return /chrom/i.test(argv0);
  } catch {
    return false;
  }
}
