// Preloaded (--import) into the CLI by test/startup/exit.test.ts: reports on stderr any call of process.exit, so the
// test can tell a process that ended by itself from one that was ended.
const exit = process.exit.bind(process)
process.exit = (code) => {
  process.stderr.write(`\n[exit-probe] process.exit(${code ?? ''}) called\n`)
  return exit(code)
}
