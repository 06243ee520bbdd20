#!/usr/bin/env node
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const cli = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(cli)) {
  console.error('spamlab: dist/cli.js is missing; run `npm run build` in ' + path.dirname(__dirname));
  process.exit(1);
}
require(cli);
