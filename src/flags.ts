import {Flags} from '@oclif/core'

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
