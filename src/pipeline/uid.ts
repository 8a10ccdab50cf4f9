import { randomBytes } from 'node:crypto';

/** Something with a unique id, as Spark's `Identifiable`: every stage and every param's parent. */
export interface Identifiable {
  readonly uid: string;
}

export const Identifiable = {
  /**
   * `${prefix}_` + 12 lowercase hex characters, the shape of Spark's uids
   * (Spark takes the last 12 characters of a random UUID; we take 6 random bytes).
   */
  randomUID(prefix: string): string {
    return `${prefix}_${randomBytes(6).toString('hex')}`;
  },
};
