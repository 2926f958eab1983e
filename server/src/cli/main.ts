// Entry point of `faaslint` (bundled to dist/cli.js, started by bin/faaslint.js). Sets the exit
// code rather than calling process.exit so piped output is flushed.
import { runCli } from './run';

// `faaslint | head` closes the pipe early: that is the reader's choice, not a crash.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

process.exitCode = runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  env: process.env,
});
