/**
 * The Prompter of a real terminal, on @inquirer/select, input and password. They are imported on first use only, so
 * commands that never ask anything do not load them. Ctrl-C and Esc end any question with InterruptedError.
 */
import type {Readable, Writable} from 'node:stream'

import {InterruptedError} from '../errors.js'
import type {InputQuestion, PasswordQuestion, Prompter, SelectQuestion} from './prompter.js'
import {isSeparator} from './prompter.js'

export interface InquirerPrompterOptions {
  input?: Readable
  /** Where the questions are drawn: the command's human stream (stderr under --json). */
  output: Writable
}

interface Keypress {
  name?: string
  ctrl?: boolean
}

type Cancellable<T> = Promise<T> & {cancel?: () => void}

export function createInquirerPrompter(options: InquirerPrompterOptions): Prompter {
  const input = options.input ?? process.stdin
  const {output} = options

  /**
   * Runs one inquirer prompt with an abort signal that Esc triggers, and turns every way the user can leave it
   * (Esc, Ctrl-C, a closed terminal) into InterruptedError.
   */
  async function ask<T>(start: (context: {input: Readable; output: Writable; signal: AbortSignal}) => Cancellable<T>): Promise<T> {
    const controller = new AbortController()
    const onKeypress = (_text: unknown, key?: Keypress) => {
      if (key?.name === 'escape') controller.abort()
    }

    const pending = start({input, output, signal: controller.signal})
    // the prompt's readline interface has switched the input to keypress events by now
    input.on('keypress', onKeypress)
    try {
      return await pending
    } catch (error) {
      const name = (error as Error | undefined)?.name
      if (name === 'ExitPromptError' || name === 'AbortPromptError' || name === 'CancelPromptError') {
        throw new InterruptedError('Cancelled.')
      }

      throw error
    } finally {
      input.removeListener('keypress', onKeypress)
    }
  }

  return {
    async select<T>(question: SelectQuestion<T>): Promise<T> {
      const {default: select, Separator} = await import('@inquirer/select')
      const choices = question.choices.map((entry) =>
        isSeparator(entry)
          ? new Separator(entry.separator)
          : {value: entry.value, name: entry.name, short: entry.short ?? entry.name, ...(entry.disabled === undefined ? {} : {disabled: entry.disabled})},
      )
      return ask((context) =>
        select<T>(
          {
            message: question.message,
            choices,
            default: question.default,
            pageSize: Math.max(7, choices.length),
            loop: false,
          },
          context,
        ),
      )
    },

    async input(question: InputQuestion): Promise<string> {
      const {default: input} = await import('@inquirer/input')
      return ask((context) =>
        input({message: question.message, default: question.default, validate: question.validate}, context),
      )
    },

    async password(question: PasswordQuestion): Promise<string> {
      const {default: password} = await import('@inquirer/password')
      return ask((context) => password({message: question.message, mask: true, validate: question.validate}, context))
    },
  }
}
