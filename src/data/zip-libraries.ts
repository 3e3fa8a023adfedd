/**
 * yazl and yauzl are CommonJS: imported here statically (the bundler gives their exports as the default export) and
 * this module is the one zip.ts loads on first use, so start-up never reads them.
 */
import yauzl from 'yauzl'
import yazl from 'yazl'

export const {ZipFile} = yazl
export const {openPromise} = yauzl
