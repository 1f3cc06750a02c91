/**
 * The recorder keeps the canonical timeline of a run and its running sha-256 digest.
 * Records are append-only; a checkpoint remembers the length and a copy of the hash
 * state so that restoring it (seek) truncates the timeline and the digest exactly.
 */
import { createHash, type Hash } from 'node:crypto';
import type { TimelineRecord } from '../../src-shared/timeline/records';
import { canonicalJson } from './canonical-json';

type Unsequenced<T> = T extends TimelineRecord ? Omit<T, 'seq'> : never;

export interface RecorderMark {
  length: number;
  hash: Hash;
}

export class Recorder {
  readonly records: TimelineRecord[] = [];
  private hash: Hash = createHash('sha256');

  append(rec: Unsequenced<TimelineRecord>): TimelineRecord {
    const full = { seq: this.records.length, ...rec } as TimelineRecord;
    this.records.push(full);
    this.hash.update(canonicalJson(full));
    this.hash.update('\n');
    return full;
  }

  get length(): number {
    return this.records.length;
  }

  /** Hex sha-256 of the canonical timeline so far. */
  digest(): string {
    return this.hash.copy().digest('hex');
  }

  mark(): RecorderMark {
    return { length: this.records.length, hash: this.hash.copy() };
  }

  restore(mark: RecorderMark): void {
    this.records.length = mark.length;
    this.hash = mark.hash.copy();
  }
}
