// Keeps a long audit's heap near what is live. V8 lets the old generation grow to several times
// its live size before it collects, and most of an audit's garbage is syntax trees that lived
// through a lint (long enough to leave the young generation). One full collection between files
// whenever the heap passes a threshold bounds the peak for a fraction of the CPU that a tight
// heap cap costs (V8 collects far more often as a cap comes near).
import v8 from 'node:v8';
import vm from 'node:vm';

let gc: (() => void) | null | undefined;

/** V8's collector, exposed at run time (no `--expose-gc` on the command line needed). */
function collector(): (() => void) | undefined {
  if (gc === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      gc = vm.runInNewContext('gc') as () => void;
    } catch {
      gc = null;
    }
  }
  return gc ?? undefined;
}

/**
 * The heap an audit lets grow before it collects between files: a third of the heap limit (the
 * 384 MB cap the CLI and server run with gives 128 MB), between 96 and 512 MB (without a cap the
 * limit is gigabytes).
 */
export function auditHeapThreshold(): number {
  return Math.min(512 << 20, Math.max(96 << 20, Math.floor(v8.getHeapStatistics().heap_size_limit / 3)));
}

/** Collects when the heap holds more than `threshold` bytes; true when it did. */
export function collectIfAbove(threshold: number): boolean {
  if (v8.getHeapStatistics().used_heap_size <= threshold) return false;
  const run = collector();
  if (!run) return false;
  run();
  return true;
}
