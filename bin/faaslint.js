#!/usr/bin/env node
'use strict';
// The CLI lives in the bundle; this file gives npm a stable, executable entry and caps the heap.
require('./heap-limit').runWithHeapLimit(require('node:path').join(__dirname, '..', 'dist', 'cli.js'));
