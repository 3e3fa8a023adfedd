// A Prompter that answers from a script and records what was asked, for testing question flows without a terminal.
import assert from 'node:assert/strict'

import {InterruptedError} from '../../src/errors.js'
import type {InputQuestion, PasswordQuestion, Prompter, SelectQuestion} from '../../src/wizard/prompter.js'
import {isSeparator} from '../../src/wizard/prompter.js'

export type Step =
  | {interrupt: 'input' | 'password' | 'select'}
  /** Enter a text; '' accepts the default, as pressing Enter does. */
  | {input: string}
  | {password: string}
  /** Choose the first entry whose shown line starts with this text. */
  | {select: string}

export interface Asked {
  type: 'input' | 'password' | 'select'
  message: string
  default?: string
  /** For select: the lines shown, separators included as `-- text`, entries that cannot be chosen as `~~ text`. */
  lines?: string[]
  /** For select: the line of the entry the cursor starts on, when the question names one. */
  preselected?: string
  /** Messages the validation returned for rejected answers, in order. */
  rejected: string[]
}

export function scriptedPrompter(steps: Step[]): Prompter & {asked: Asked[]; remaining(): Step[]} {
  const queue = [...steps]
  const asked: Asked[] = []

  function next(type: Asked['type'], message: string): Step {
    const step = queue.shift()
    assert.ok(step, `the script has no answer for the ${type} question "${message}"`)
    if ('interrupt' in step) {
      assert.equal(step.interrupt, type, `expected a ${step.interrupt} question, got ${type} "${message}"`)
      throw new InterruptedError('Cancelled.')
    }

    assert.ok(type in step, `expected ${Object.keys(step)[0]}, got the ${type} question "${message}"`)
    return step
  }

  async function text(type: 'input' | 'password', question: InputQuestion | PasswordQuestion): Promise<string> {
    const record: Asked = {type, message: question.message, rejected: []}
    if ('default' in question && question.default !== undefined) record.default = question.default
    asked.push(record)
    for (;;) {
      const step = next(type, question.message) as {input: string} | {password: string}
      const typed = 'input' in step ? step.input : step.password
      const answer = typed === '' && record.default !== undefined ? record.default : typed
      const verdict = question.validate ? await question.validate(answer) : true
      if (verdict === true) return answer
      record.rejected.push(verdict)
    }
  }

  return {
    asked,
    remaining: () => [...queue],
    async select<T>(question: SelectQuestion<T>): Promise<T> {
      const lines = question.choices.map((entry) =>
        isSeparator(entry) ? `-- ${entry.separator}` : entry.disabled === undefined ? entry.name : `~~ ${entry.name} ${entry.disabled}`,
      )
      const preselected = question.choices.find((entry) => !isSeparator(entry) && question.default !== undefined && entry.value === question.default)
      asked.push({type: 'select', message: question.message, lines, rejected: [], ...(preselected && !isSeparator(preselected) ? {preselected: preselected.name} : {})})
      const step = next('select', question.message) as {select: string}
      const choice = question.choices.find((entry) => !isSeparator(entry) && entry.disabled === undefined && entry.name.startsWith(step.select))
      assert.ok(choice && !isSeparator(choice), `no choice starts with "${step.select}" in:\n${lines.join('\n')}`)
      return choice.value
    },
    input: (question) => text('input', question),
    password: (question) => text('password', question),
  }
}
