#!/usr/bin/env node
// Checks the Node version before anything else is loaded: on an older Node the tool's modules fail in ways that say
// nothing useful (a syntax error, a missing function). Kept to syntax every Node release can parse, with no imports.
var needed = [20, 3]
var running = process.versions.node.split('.').map(Number)
if (running[0] < needed[0] || (running[0] === needed[0] && running[1] < needed[1])) {
  process.stderr.write('prisma1-cli needs Node.js ' + needed.join('.') + ' or newer; this is Node.js ' + process.versions.node + '. Install a current Node.js (https://nodejs.org) and run the command again.\n')
  process.exit(1)
}
import('./cli.js')
