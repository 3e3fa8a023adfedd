import {Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'

export default class Login extends BaseCommand {
  static override summary = 'Log in to Prisma Cloud'

  static override description = `Stores a Prisma Cloud session key in ~/.prisma/config.yml (cloudSessionKey).

With --key, the key is checked with the cloud API first and a rejected key is not stored; when the API cannot be reached, the key is stored with a notice that it was not verified.

Without --key, the browser login starts: open the printed URL, log in, and the CLI picks up the session (waiting at most --timeout). Ctrl-C leaves the configuration as it was.

The session key is only used for Prisma Cloud servers (*.prisma.sh). CLOUD_API_ENDPOINT and PRISMA_CONSOLE_ENDPOINT change the addresses used.`

  static override examples = ['<%= config.bin %> login', '<%= config.bin %> login --key "$PRISMA_CLOUD_SESSION_KEY"']

  static override flags = {
    key: Flags.string({char: 'k', description: 'Cloud session key to store', helpValue: 'KEY'}),
    timeout: Flags.string({description: 'How long to wait for the login in the browser (default 5m)', helpValue: 'DURATION'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Login)
    const [{openGlobalConfig}, cloud, {formatDuration, parseDuration}, {UserError}] = await Promise.all([
      import('../global-config/index.js'),
      import('../cloud-api/index.js'),
      import('../duration.js'),
      import('../errors.js'),
    ])
    const env = {...process.env}
    const home = env.HOME || (await import('node:os')).homedir()
    const timeoutMs = flags.timeout === undefined ? 5 * 60_000 : parseDuration(flags.timeout, '--timeout')
    const config = await openGlobalConfig({env, home})
    const out = (line = '') => process.stdout.write(`${line}\n`)
    const note = (line: string) => process.stderr.write(`${line}\n`)

    if (flags.key !== undefined) {
      const key = flags.key.trim()
      if (key === '') throw new UserError('The key given with --key is empty. Pass your Prisma Cloud session key: prisma login --key <key>.')
      let email: string | undefined
      try {
        email = (await cloud.fetchAccount({env, sessionKey: key})).email
      } catch (error) {
        if (cloud.isRejectedKey(error)) {
          throw new UserError(
            `The Prisma Cloud API at ${cloud.cloudApiUrl(env)} rejected the session key, so it was not stored. ` +
              'Check that you copied the whole key, or log in with the browser: prisma login.',
            {cause: error},
          )
        }

        await config.setCloudSessionKey(key)
        note(
          `The Prisma Cloud API at ${cloud.cloudApiUrl(env)} ${cloud.isUnreachable(error) ? 'could not be reached' : 'gave no usable answer'}, ` +
            `so the session key was stored without being verified (${(error as Error).message.split('\n')[0]}).`,
        )
        out(`Session key stored in ${config.file}`)
        return
      }

      await config.setCloudSessionKey(key)
      if (email) out(`Authenticated with ${email}`)
      out('Successfully signed in')
      return
    }

    const existing = env.PRISMA_CLOUD_SESSION_KEY?.trim() || config.cloudSessionKey
    if (existing) {
      const where = env.PRISMA_CLOUD_SESSION_KEY?.trim() ? 'PRISMA_CLOUD_SESSION_KEY' : config.file
      try {
        const account = await cloud.fetchAccount({env, sessionKey: existing})
        if (account.email) out(`Authenticated with ${account.email}`)
        out(`Already signed in (session key from ${where}). Run prisma logout first to log in as someone else.`)
        return
      } catch (error) {
        if (!cloud.isRejectedKey(error)) {
          out(`Already signed in (session key from ${where}); it could not be verified now: ${(error as Error).message.split('\n')[0]}`)
          return
        }

        note(`The session key from ${where} is no longer accepted; starting a new login.`)
      }
    }

    const {withInterruptSignal} = await import('../signals.js')
    await withInterruptSignal(`Login cancelled; ${config.file} was not changed.`, async (signal) => {
      const {browserLogin, browserMissingNote} = await import('../cloud-api/login.js')
      const token = await browserLogin({
        env,
        onBrowserMissing: () => note(browserMissingNote),
        onUrl(url) {
          out(`Opening ${url} in the browser`)
          out()
        },
        onWait: () => note(`Waiting for the login to complete (at most ${formatDuration(timeoutMs)}; Ctrl-C to cancel)…`),
        signal,
        timeoutMs,
      })
      await config.setCloudSessionKey(token)
      try {
        const account = await cloud.fetchAccount({env, sessionKey: token, signal})
        if (account.email) out(`Authenticated with ${account.email}`)
      } catch (error) {
        if (signal.aborted) throw error
        note(`Logged in, but the account could not be read: ${(error as Error).message.split('\n')[0]}`)
      }

      out('Successfully signed in')
    })
  }
}
