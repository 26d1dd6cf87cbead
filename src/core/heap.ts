import { setFlagsFromString } from 'node:v8';

/** how far above what is live V8 may let the old generation grow before a full collection */
const HEAP_GROWING_PERCENT = 50;
/** the V8 versions known to have the flag (Node 20: 11.3, Node 22: 12.4, Node 24: 13.6) */
const KNOWN_V8_MAJORS = [11, 12, 13];

let applied = false;

/**
 * A sync run allocates fast and keeps little: after a full collection some 50 MB are live, yet V8,
 * seeing a high allocation rate, lets the old generation grow to several times that before the
 * next one (on the diploma benchmark, near 200 MB of heap and 350 MB of RSS). Bounding the growth
 * to 1.5× what is live keeps a 200,000-record run near 250 MB for a few percent more GC time.
 *
 * The flag is V8's own, read at every full collection, so setting it at start-up works. A V8 that
 * no longer has it would print an error for an unknown flag: it is set only on the versions known
 * to have it, and elsewhere the heap simply grows as V8 decides.
 */
export function boundHeapGrowth(): boolean {
  if (applied) return true;
  const major = Number(process.versions.v8.split('.')[0]);
  if (!KNOWN_V8_MAJORS.includes(major)) return false;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  applied = true;
  return true;
}
