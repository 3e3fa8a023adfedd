// Preloaded with `node --import` by oclif-edits.test.ts: writes "collation" to the file named by
// RECORD_COLLATION_TO when the process compared strings by locale (String.prototype.localeCompare or
// Intl.Collator), which loads ICU's collation data.
import {writeFileSync} from 'node:fs'

const target = process.env.RECORD_COLLATION_TO
if (target) {
  let used = false
  const localeCompare = String.prototype.localeCompare
  String.prototype.localeCompare = function (...args) {
    used = true
    return localeCompare.apply(this, args)
  }
  const Collator = Intl.Collator
  Intl.Collator = function (...args) {
    used = true
    return new Collator(...args)
  }
  process.once('exit', () => writeFileSync(target, used ? 'collation' : 'none'))
}
