/**
 * The `after:` option of a job's destinations, as configuration: which destination waits for which,
 * every wrong value named, and the order that puts upstreams first. What waiting means at run time
 * is the engine's (src/engine/dependency.ts).
 */
import { targetId } from '../store/rows.js';

/** What `after:` may name: a destination by its connection, or by `connection/dataset`. */
export interface DestinationRef {
  connection: string;
  dataset: string;
  after?: string | undefined;
}

/**
 * The upstream of each destination (by index) that has `after:`, or the problems with the job's
 * `after:` values, each with its destination index and a message saying exactly what is wrong.
 */
export function resolveUpstreams(destinations: readonly DestinationRef[]): { upstreams: Map<number, number>; problems: { index: number; message: string }[] } {
  const upstreams = new Map<number, number>();
  const problems: { index: number; message: string }[] = [];
  const names = destinations.map((d) => targetId(d.connection, d.dataset));
  destinations.forEach((d, index) => {
    if (d.after === undefined) return;
    const matches = destinations.map((o, i) => ({ o, i })).filter(({ o, i }) => names[i] === d.after || o.connection === d.after);
    const others = matches.filter(({ i }) => i !== index);
    if (matches.length === 1 && matches[0]?.i === index) {
      problems.push({ index, message: `"${d.after}" is this destination itself: a destination cannot wait for itself` });
    } else if (others.length === 0) {
      problems.push({ index, message: `"${d.after}" names no other destination of this job (its destinations: ${names.join(', ')}); write the connection name or connection/dataset of the destination to wait for` });
    } else if (others.length > 1) {
      problems.push({ index, message: `"${d.after}" names ${others.length} destinations of this job (${others.map(({ i }) => names[i]).join(', ')}); write connection/dataset to name one` });
    } else {
      upstreams.set(index, others[0]!.i);
    }
  });
  // a cycle (a after b after a) would make every record of both wait for ever
  for (const start of upstreams.keys()) {
    const seen = new Set<number>([start]);
    let at = upstreams.get(start);
    while (at !== undefined) {
      if (seen.has(at)) {
        if (at === start) problems.push({ index: start, message: `destinations wait for each other in a circle (${[...seen].map((i) => names[i]).join(' → ')} → ${names[start]}): one of them must not have "after"` });
        break;
      }
      seen.add(at);
      at = upstreams.get(at);
    }
  }
  return { upstreams, problems };
}

/** How many upstreams a destination waits for in a row (0: it waits for none). */
export function dependencyDepth(i: number, upstreams: ReadonlyMap<number, number>): number {
  let d = 0;
  // bounded: the configuration check refuses cycles, and a bound keeps a bug from looping for ever
  for (let at = upstreams.get(i); at !== undefined && d <= upstreams.size; at = upstreams.get(at)) d++;
  return d;
}

/** The destinations in an order where every upstream comes before the destinations that wait for it. */
export function dependencyOrder(count: number, upstreams: ReadonlyMap<number, number>): number[] {
  const depth = (i: number): number => dependencyDepth(i, upstreams);
  return Array.from({ length: count }, (_, i) => i).sort((a, b) => depth(a) - depth(b) || a - b);
}
