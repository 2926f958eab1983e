// The audit collects garbage between files once the heap passes a threshold (server/src/engine/heap.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import { collectIfAbove } from '../server/src/engine/heap';

test('collectIfAbove collects only past the threshold, and frees what is garbage', () => {
  assert.equal(collectIfAbove(Number.MAX_SAFE_INTEGER), false);
  let garbage: unknown[] | undefined = Array.from({ length: 300_000 }, (_, i) => ({ i, s: `item ${i}` }));
  const before = v8.getHeapStatistics().used_heap_size;
  garbage = undefined;
  assert.equal(garbage, undefined);
  assert.equal(collectIfAbove(0), true);
  const after = v8.getHeapStatistics().used_heap_size;
  // 300,000 small objects are well over 10 MB.
  assert.ok(before - after > 10 << 20, `freed ${((before - after) / 1e6).toFixed(1)} MB`);
});

