// Loaded into the measured child with `node --import`: when the process exits it writes its own
// resource usage and /proc/self/io byte counts as JSON to the file named by PC_BENCH_PROBE.
// Plain JavaScript so that it loads before (and without) tsx.
import { readFileSync, writeFileSync } from 'node:fs';
import { PerformanceObserver, performance } from 'node:perf_hooks';

const target = process.env.PC_BENCH_PROBE;
if (target) {
  // Resident memory and the CPU the process (every thread) used so far, every 20 ms ([seconds
  // on performance.now()'s clock, bytes, CPU seconds]), and each stage's span as the pipeline's
  // `stage:<name>` measures give it ([name, start, seconds], the same clock), so the parent can
  // tell which stage holds the peak and what each stage cost. Timers fire between ticks: a peak
  // inside one long tick may be missed here, never in maxRssKiB.
  const samples = [];
  const stages = [];
  const cpuSeconds = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1e6;
  };
  const sample = () => samples.push([performance.now() / 1000, process.memoryUsage.rss(), cpuSeconds()]);
  sample();
  setInterval(sample, 20).unref();
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.name.startsWith('stage:')) stages.push([entry.name.slice('stage:'.length), entry.startTime / 1000, entry.duration / 1000]);
    }
  }).observe({ entryTypes: ['measure'] });
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
        samples,
        stages,
      }),
    );
  });
}
