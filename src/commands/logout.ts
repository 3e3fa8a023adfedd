import {BaseCommand} from '../base-command.js'

export default class Logout extends BaseCommand {
  static override summary = 'Log out of Prisma Cloud'

  static override description = `Removes the Prisma Cloud session key (cloudSessionKey) from ~/.prisma/config.yml and nothing else. No request is sent. A PRISMA_CLOUD_SESSION_KEY in the environment is not affected.`

  async run(): Promise<void> {
    await this.parse(Logout)
    const {openGlobalConfig} = await import('../global-config/index.js')
    const home = process.env.HOME || (await import('node:os')).homedir()
    const config = await openGlobalConfig({home})
    await config.deleteCloudSessionKey()
    process.stdout.write('You have been successfully logged out.\n')
    if (process.env.PRISMA_CLOUD_SESSION_KEY?.trim()) {
      process.stderr.write('PRISMA_CLOUD_SESSION_KEY is still set in the environment and keeps being used until you unset it.\n')
    }
  }
}
