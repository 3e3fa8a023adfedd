// Test instrumentation, loaded with NODE_OPTIONS=--import: writes the file named by HARDENING_MARK_FILE as soon as
// the tool adds its SIGTERM listener (bin/run.js does that first thing), so an interruption test can tell "the tool
// runs and listens" from "Node is still starting". It observes only; it changes nothing.
import {writeFileSync} from 'node:fs'

const file = process.env.HARDENING_MARK_FILE
if (file) {
  const onNewListener = (event) => {
    if (event !== 'SIGTERM') return
    process.removeListener('newListener', onNewListener)
    try {
      writeFileSync(file, String(process.pid))
    } catch {
      // the test has gone
    }
  }

  process.on('newListener', onNewListener)
}
