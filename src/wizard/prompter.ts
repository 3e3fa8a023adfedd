/**
 * The questions the tool can ask, as an interface: the wizard flows depend on this, the terminal implementation
 * (inquirer-prompter.ts) and the scripted one used by tests implement it.
 */

export interface SelectChoice<T> {
  value: T
  /** The line shown in the list. */
  name: string
  /** What the answer line shows once chosen (defaults to the name). */
  short?: string
  /** Shown greyed after the name, and the entry cannot be chosen: why it is not available. */
  disabled?: string
}

/** A line in a list that cannot be chosen (a heading or a blank line). */
export interface SelectSeparator {
  separator: string
}

export type Validation = string | true
export type Validate = (value: string) => Promise<Validation> | Validation

export interface SelectQuestion<T> {
  message: string
  choices: ReadonlyArray<SelectChoice<T> | SelectSeparator>
  default?: T
}

export interface InputQuestion {
  message: string
  default?: string
  /** Returns true to accept the answer or a message that is shown while the user edits it. */
  validate?: Validate
}

export interface PasswordQuestion {
  message: string
  validate?: Validate
}

/**
 * Every method resolves with the answer, or rejects with InterruptedError when the user pressed Ctrl-C or Esc.
 */
export interface Prompter {
  select<T>(question: SelectQuestion<T>): Promise<T>
  input(question: InputQuestion): Promise<string>
  /** Masked input; the answer is never echoed. */
  password(question: PasswordQuestion): Promise<string>
}

export function isSeparator<T>(entry: SelectChoice<T> | SelectSeparator): entry is SelectSeparator {
  return 'separator' in entry
}
