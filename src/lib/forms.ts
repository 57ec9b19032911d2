/** The shapes inputs share below the gates: the error every parser throws, and a list of lines. */

/** What every input parser throws: the value it got and the form it accepts, for a sentence naming both. */
export class InputFormError extends Error {
  constructor(
    readonly received: string,
    readonly accepted: string,
  ) {
    super(`got ${JSON.stringify(received)}; expected ${accepted}`)
  }
}

/** Newline-separated list; blank lines and surrounding space dropped. */
export function parseList(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean)
}
