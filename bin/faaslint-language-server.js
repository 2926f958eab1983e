#!/usr/bin/env node
// faaslint's language server for any LSP editor (Neovim, Helix, Emacs, Sublime, …).
// Speaks LSP over stdio by default: `faaslint-language-server --stdio`.
'use strict';
const transports = ['--stdio', '--node-ipc', '--socket', '--pipe'];
if (!process.argv.slice(2).some((a) => transports.some((t) => a === t || a.startsWith(t + '=')))) {
  process.argv.push('--stdio');
}
require('./heap-limit').runWithHeapLimit(require('node:path').join(__dirname, '..', 'dist', 'server.js'));
