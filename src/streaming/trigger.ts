// Spark's triggers: a fixed interval (processingTime; 0 = as fast as possible), once, availableNow.
// Quiver's sources have no rate limits (maxOffsetsPerTrigger), so once and availableNow both run
// what is available (a pending batch from the checkpoint first) and stop when nothing new is left.
import { parseDuration } from './duration.js';

export type TriggerSpec = { processingTime: string | number } | { once: true } | { availableNow: true };
export type Trigger = { kind: 'processingTime'; intervalMs: number } | { kind: 'once' } | { kind: 'availableNow' };

export function parseTrigger(spec: TriggerSpec): Trigger {
  const keys = Object.keys(spec ?? {});
  if (keys.length !== 1) throw new Error("trigger: give exactly one of { processingTime: '500 milliseconds' }, { once: true }, { availableNow: true }");
  const s = spec as Record<string, unknown>;
  if ('processingTime' in s) return { kind: 'processingTime', intervalMs: parseDuration(s.processingTime as string | number, 'trigger processingTime', 'ms') };
  if (s.once === true) return { kind: 'once' };
  if (s.availableNow === true) return { kind: 'availableNow' };
  throw new Error(`trigger: unknown trigger ${JSON.stringify(spec)}; use processingTime, once or availableNow`);
}
