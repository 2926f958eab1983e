#!/usr/bin/env node
'use strict';
// The CLI lives in the bundle; this file only gives npm a stable, executable entry.
require('../dist/cli.js');
