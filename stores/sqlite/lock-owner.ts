import { hostname } from 'node:os';

/** Owners are `host:pid:uuid`. On this host, a lock whose process is gone is free at once. */
export function ownerAlive(owner: string): boolean {
  const [host, pidText] = owner.split(':');
  if (host !== hostName()) return true;
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return true;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

let cachedHost: string | undefined;
export function hostName(): string {
  cachedHost ??= hostname();
  return cachedHost;
}
