// Loaded into the measured child with `node --import`: when the process exits it writes its own
// resource usage and /proc/self/io byte counts as JSON to the file named by PC_BENCH_PROBE.
// Plain JavaScript so that it loads before (and without) tsx.
import { readFileSync, writeFileSync } from 'node:fs';

const target = process.env.PC_BENCH_PROBE;
if (target) {
  // Resident memory every 50 ms ([seconds since start, bytes]), so the parent can tell which
  // stage holds the peak. Timers fire between ticks: a peak inside one long tick may be missed
  // here, never in maxRssKiB.
  // With them the process CPU so far (user + sys of every thread, seconds), so the parent can
  // tell what a stage cost in CPU, worker threads included.
  const rssSamples = [];
  const cpuSeconds = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1e6;
  };
  setInterval(() => rssSamples.push([process.uptime(), process.memoryUsage.rss(), cpuSeconds()]), 50).unref();
  process.on('exit', (code) => {
    const usage = process.resourceUsage();
    let io = null;
    try {
      io = Object.fromEntries(
        readFileSync('/proc/self/io', 'utf8')
          .trim()
          .split('\n')
          .map((line) => {
            const [key, value] = line.split(':');
            return [String(key).trim(), Number(value)];
          }),
      );
    } catch {
      // Not Linux, or /proc/self/io not readable: bytes come from the file sizes alone.
    }
    writeFileSync(
      target,
      JSON.stringify({
        exitCode: code,
        maxRssKiB: usage.maxRSS,
        userSeconds: usage.userCPUTime / 1e6,
        systemSeconds: usage.systemCPUTime / 1e6,
        uptimeSeconds: process.uptime(),
        heapUsedBytes: process.memoryUsage().heapUsed,
        io,
        rssSamples,
      }),
    );
  });
}
