import {Flags} from '@oclif/core'

import {parseDuration} from './duration.js'

/** The flags every command that reads prisma.yml shares, with the original's names and short forms. */
export const projectFlags = {
  project: Flags.string({
    char: 'p',
    description: 'Path to the prisma.yml file (default: ./prisma.yml, ./prisma/prisma.yml, or the nearest one upward)',
    helpValue: 'PATH',
  }),
  'env-file': Flags.string({
    char: 'e',
    description: 'Path to a .env file to load (relative to the working directory)',
    helpValue: 'PATH',
  }),
}

/**
 * A duration flag (`90s`, `10m`, `7d`, a bare number is seconds), read as milliseconds. A value that is not a
 * duration is a usage error (exit 2) naming the flag.
 */
export const durationFlag = Flags.custom<number>({
  helpValue: 'DURATION',
  async parse(input, _context, flag) {
    return parseDuration(input, `--${flag.name}`)
  },
})
