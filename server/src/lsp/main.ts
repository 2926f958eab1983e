// Language server entry point. The transport comes from the command line, as createConnection
// reads it: --stdio, --node-ipc (VS Code), --socket=<port> or --pipe=<name>.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

// A server that dies takes every open editor's diagnostics with it: log and carry on instead.
// Never the file contents, only the error. A broken pipe means the client is gone: exit.
function survive(kind: string) {
  return (e: unknown) => {
    const code = (e as NodeJS.ErrnoException)?.code;
    if (code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED') process.exit(1);
    process.stderr.write(`faaslint: ${kind}: ${(e as Error)?.stack ?? String(e)}\n`);
  };
}
process.on('uncaughtException', survive('uncaught exception'));
process.on('unhandledRejection', survive('unhandled rejection'));

startServer(createConnection(ProposedFeatures.all));
