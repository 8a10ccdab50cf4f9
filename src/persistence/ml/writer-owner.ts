/**
 * Who owns a save's temporary files: a tag `<host>-<pid>-<start>` written into their names, so a
 * later save can tell a crashed writer's leftovers from a live writer's work without a separate
 * lock file (which could itself be left half-written). `host` is a hash of the host name, `start`
 * the process's start time in clock ticks since boot (Linux `/proc/<pid>/stat`), which tells a
 * live writer from a later process that reuses its pid; elsewhere it is 0 and the pid alone is
 * checked.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

export interface WriterOwner {
  host: string;
  pid: number;
  start: string;
}

/** `<host>-<pid>-<start>`: 8 hex characters, then two decimal numbers. */
export const OWNER_PATTERN = '([0-9a-f]{8})-(\\d+)-(\\d+)';

let self: WriterOwner | undefined;

/** This process as an owner. */
export function currentOwner(): WriterOwner {
  return (self ??= { host: hostTag(), pid: process.pid, start: startTicks(process.pid) ?? '0' });
}

export const ownerTag = (o: WriterOwner): string => `${o.host}-${o.pid}-${o.start}`;

/**
 * `dead`: the owner is on this host and its process is gone (or the pid now belongs to a process
 * started later); `alive`: it runs; `unknown`: another host's, which cannot be checked from here.
 */
export function ownerState(o: WriterOwner): 'alive' | 'dead' | 'unknown' {
  const me = currentOwner();
  if (o.host !== me.host) return 'unknown';
  if (o.pid === me.pid) return o.start === me.start ? 'alive' : 'dead';
  try {
    process.kill(o.pid, 0); // signal 0: only asks whether the process exists
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return 'dead';
    // EPERM: it exists, under another user.
  }
  if (o.start === '0') return 'alive';
  const start = startTicks(o.pid);
  return start === undefined || start === o.start ? 'alive' : 'dead';
}

function hostTag(): string {
  return createHash('sha256').update(hostname()).digest('hex').slice(0, 8);
}

/** Field 22 of `/proc/<pid>/stat` (after the command name, which may hold spaces and parentheses). */
function startTicks(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = fields[19];
    return ticks !== undefined && /^\d+$/.test(ticks) ? ticks : undefined;
  } catch {
    return undefined;
  }
}
