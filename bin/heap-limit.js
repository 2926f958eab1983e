'use strict';
// Runs a bundle in a Node process whose old-generation heap is capped. V8 otherwise lets the heap
// grow to about four times what is live before collecting: an audit that keeps ~90 MB live would
// peak near 600 MB. A heap limit can only be set when a process starts, hence the re-spawn.
// FAASLINT_MAX_MEMORY_MB sets the cap (0: Node's default); a cap already given in the Node options
// is kept as it is.
const { spawnSync } = require('node:child_process');

const DEFAULT_MAX_MEMORY_MB = 384;

function heapLimitMb(env) {
  const raw = env.FAASLINT_MAX_MEMORY_MB;
  if (raw === undefined || raw === '') return DEFAULT_MAX_MEMORY_MB;
  const mb = Number(raw);
  return Number.isInteger(mb) && mb >= 0 ? mb : DEFAULT_MAX_MEMORY_MB;
}

function hasHeapFlag(args) {
  return args.some((a) => a.startsWith('--max-old-space-size'));
}

/** `bundle`: the absolute path of the script to run. */
function runWithHeapLimit(bundle) {
  const mb = heapLimitMb(process.env);
  const given = hasHeapFlag(process.execArgv) || hasHeapFlag((process.env.NODE_OPTIONS || '').split(/\s+/));
  // A debugger attached to this process would not follow a child.
  const debugging = process.execArgv.some((a) => a.startsWith('--inspect'));
  if (mb === 0 || given || debugging) {
    require(bundle);
    return;
  }
  const child = spawnSync(process.execPath, [...process.execArgv, `--max-old-space-size=${mb}`, bundle, ...process.argv.slice(2)], { stdio: 'inherit' });
  if (child.error) throw child.error;
  if (child.signal) process.kill(process.pid, child.signal);
  process.exitCode = child.status ?? 1;
}

module.exports = { DEFAULT_MAX_MEMORY_MB, heapLimitMb, runWithHeapLimit };
