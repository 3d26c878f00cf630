/**
 * Reads a V8 `.cpuprofile` (from `node --cpu-prof`) and ranks functions by self time and by
 * inclusive time (time with the function anywhere on the stack), and files by self time.
 */
import { readFile } from 'node:fs/promises';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Ranked {
  name: string;
  seconds: number;
  share: number;
}

export interface ProfileSummary {
  totalSeconds: number;
  selfByFunction: Ranked[];
  inclusiveByFunction: Ranked[];
  selfByFile: Ranked[];
}

const PROJECT_URL = new URL('..', import.meta.url).href;

function shortUrl(url: string): string {
  if (url === '') return '';
  const local = url.startsWith(PROJECT_URL) ? url.slice(PROJECT_URL.length) : url;
  const nodeModules = local.lastIndexOf('node_modules/');
  return (nodeModules === -1 ? local : local.slice(nodeModules + 'node_modules/'.length)).replace(/\?.*$/, '');
}

/**
 * `name file[:line]`. tsx emits each module on few lines, so a line is shown only where it
 * means something (> 1). A native frame names its JavaScript caller, because V8 often labels
 * builtins oddly (esbuild's `__name` helper shows up as `set TextDecoder`, which is
 * Object.defineProperty).
 */
function functionKey({ functionName, url, lineNumber }: CallFrame, caller: CallFrame | undefined): string {
  const file = shortUrl(url);
  const name = functionName === '' ? '(anonymous)' : functionName;
  if (file !== '') return lineNumber > 0 ? `${name} ${file}:${lineNumber + 1}` : `${name} ${file}`;
  if (name.startsWith('(') || caller === undefined || caller.functionName === '(root)') return name;
  return `${name} [native, called by ${caller.functionName === '' ? '(anonymous)' : caller.functionName} ${shortUrl(caller.url)}]`;
}

function fileKey({ functionName, url }: CallFrame): string {
  const file = shortUrl(url);
  if (file !== '') return file;
  return functionName.startsWith('(') ? functionName : '(native)';
}

export async function summarizeProfile(path: string, top = 20): Promise<ProfileSummary> {
  const profile = JSON.parse(await readFile(path, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const files = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, micros: number): void => {
    map.set(key, (map.get(key) ?? 0) + micros);
  };
  let total = 0;
  profile.samples.forEach((id, i) => {
    // timeDeltas[i + 1] is the time from this sample to the next one.
    const micros = profile.timeDeltas[i + 1] ?? 0;
    const node = byId.get(id);
    if (node === undefined || micros <= 0) return;
    total += micros;
    const callerId = parent.get(id);
    add(self, functionKey(node.callFrame, callerId === undefined ? undefined : byId.get(callerId)?.callFrame), micros);
    add(files, fileKey(node.callFrame), micros);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (frame === undefined || frame.functionName === '(root)') continue;
      const callerId = parent.get(at);
      const key = functionKey(frame, callerId === undefined ? undefined : byId.get(callerId)?.callFrame);
      if (!seen.has(key)) {
        seen.add(key);
        add(inclusive, key, micros);
      }
    }
  });
  const rank = (map: Map<string, number>): Ranked[] =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, micros]) => ({ name, seconds: micros / 1e6, share: total === 0 ? 0 : micros / total }));
  return { totalSeconds: total / 1e6, selfByFunction: rank(self), inclusiveByFunction: rank(inclusive), selfByFile: rank(files) };
}

export function profileLines(summary: ProfileSummary): string[] {
  const line = ({ name, seconds, share }: Ranked): string =>
    `  ${seconds.toFixed(2).padStart(7)} s ${(share * 100).toFixed(1).padStart(5)} %  ${name}`;
  return [
    `CPU profile: ${summary.totalSeconds.toFixed(2)} s sampled on the main thread`,
    'Self time by function:',
    ...summary.selfByFunction.map(line),
    'Inclusive time by function (anywhere on the stack):',
    ...summary.inclusiveByFunction.map(line),
    'Self time by file:',
    ...summary.selfByFile.map(line),
  ];
}
