// A Node test reporter that prints one closing line with the counts, after the spec reporter's output.
export default async function* summaryReporter(source) {
  let passed = 0
  let failed = 0
  let skipped = 0
  for await (const event of source) {
    // Only leaf tests count; suites report their children.
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue
    if (event.data.details?.type === 'suite') continue
    if (event.data.skip || event.data.todo) skipped++
    else if (event.type === 'test:pass') passed++
    else failed++
  }
  yield `\n${passed} passed, ${failed} failed, ${skipped} skipped\n`
}
