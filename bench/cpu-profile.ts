/**
 * Where a benchmark's time goes, without leaving the run: the V8 CPU profiler of the current thread
 * (a worker thread profiles itself) around one piece of work, its samples summed per package (a
 * dependency under node_modules, a project file under dist/, a Node internal module) as self time.
 * "(idle)" is time the thread waited: on another thread (the XSD checks run in xmllint-wasm workers
 * of their own), a socket or a timer.
 */
import { Session } from 'node:inspector/promises';

export interface ProfileShare {
  where: string;
  ms: number;
  percent: number;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Runs `work` under the profiler; the result and the `top` largest shares of self time. */
export async function profiled<T>(work: () => Promise<T>, top = 10): Promise<{ result: T; shares: ProfileShare[]; functions: ProfileShare[] }> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
    const outcome = await work().then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    // stopped even when the work failed, so the session closes clean
    const { profile } = (await session.post('Profiler.stop')) as { profile: Profile };
    if (!outcome.ok) throw outcome.error;
    return { result: outcome.value, shares: sharesOf(profile, top, placeOf), functions: sharesOf(profile, top, functionOf) };
  } finally {
    session.disconnect();
  }
}

/** the package a call frame belongs to: `xml-crypto`, `dist/documents/xmldsig/verify-hocba.js`, `node:crypto`… */
function placeOf(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency) return dependency[1] as string;
  if (url.includes('/dist/')) return url.replace(/.*\/dist\//, 'dist/');
  if (url.startsWith('node:internal/crypto')) return 'node:crypto';
  if (url.startsWith('node:')) return 'node (other internals)';
  return functionName === '' ? '(native)' : functionName;
}

/** `montReduce (node-forge/lib/jsbn.js)`: the function itself, to say what in a package costs */
function functionOf(frame: ProfileNode['callFrame']): string {
  return `${frame.functionName || '(anonymous)'} (${placeOf(frame)}${frame.url.includes('node_modules') ? '/' + frame.url.split('/').slice(-2).join('/') : ''})`;
}

function sharesOf(profile: Profile, top: number, keyOf: (frame: ProfileNode['callFrame']) => string): ProfileShare[] {
  const selfMs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const byPlace = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const ms = selfMs.get(node.id) ?? 0;
    total += ms;
    const place = keyOf(node.callFrame);
    byPlace.set(place, (byPlace.get(place) ?? 0) + ms);
  }
  return [...byPlace]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([where, ms]) => ({ where, ms: Math.round(ms), percent: Math.round((1000 * ms) / total) / 10 }));
}
