/**
 * Keeps bulk transfers (export pages, import chunks) within a fixed memory bound. Each page leaves a few MB of
 * buffers behind (the response's chunks, its text, the compressed entry); V8 frees buffers only when it collects
 * their owners, which it postpones until tens of MB of them have piled up. Above the threshold a full collection is
 * asked for after a page, so memory stays near one page's worth whatever the size of the export.
 */
import {setFlagsFromString} from 'node:v8'
import {runInNewContext} from 'node:vm'

const thresholdBytes = 100 * 1024 * 1024
const pileBytes = 16 * 1024 * 1024
let collect: (() => void) | undefined

/** Called after each page or chunk; collects garbage when the process holds more than the threshold. */
export function releaseAfterPage(): void {
  if (process.memoryUsage.rss() < thresholdBytes) return
  // the resident size does not shrink after a collection: collect again only when garbage has piled up since
  const {heapUsed, external} = process.memoryUsage()
  if (heapUsed + external < pileBytes) return
  if (!collect) {
    // the collector is reachable from JavaScript only with --expose-gc, which a new context picks up
    setFlagsFromString('--expose-gc')
    collect = runInNewContext('gc') as () => void
  }

  collect()
}
