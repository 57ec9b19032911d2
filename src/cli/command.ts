/**
 * What every `cutover` subcommand shares: its entry in the command table, `--help`, and usage
 * errors as one line that points at the command's own help instead of reprinting it.
 */
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util'
import type { InputSpec } from '../core/inputs.js'
import { nearest } from '../lib/suggest.js'

export interface Command {
  /** As typed after `cutover`: `check`, `evidence seal`. */
  name: string
  /** One line for `cutover --help`. */
  summary: string
  /** The text `cutover <name> --help` prints. */
  usage: string
  run(args: string[]): Promise<number>
}

/** The command line was wrong (not the measurement): exit 2, with one line naming the command's help. */
export class UsageError extends Error {}

/** `cutover check: <message>; see \`cutover check --help\``: what a usage error prints, on one line. */
export function usageLine(command: string, message: string): string {
  return `cutover ${command}: ${message.replace(/[.\s]+$/, '')}; see \`cutover ${command} --help\`\n`
}

/** True when `args` ask for help (`--help` or `-h` before any `--`). */
export function wantsHelp(args: string[]): boolean {
  const end = args.indexOf('--')
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h')
}

/**
 * node:util's parseArgs with its errors as a short sentence (the first of Node's, which goes on
 * about `--` and positionals) and the nearest real option suggested for an unknown one.
 */
export function parseFlags<const O extends ParseArgsOptionsConfig>(args: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals })
  } catch (err) {
    const e = err as Error & { code?: string }
    if (!e.code?.startsWith('ERR_PARSE_ARGS')) throw err
    const first = e.message.split(/\.\s/)[0].replace(/\.$/, '')
    const unknown = e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /'(-{1,2}[^']*)'/.exec(first)?.[1] : undefined
    const near = unknown ? nearest(unknown.replace(/^-+/, '').split('=')[0], Object.keys(options)) : undefined
    throw new UsageError(`${first}${near ? ` (did you mean \`--${near}\`?)` : ''}`)
  }
}

/** A flag's default taken from the input it stands for, so the CLI and the action cannot drift apart. */
export function defaultOf(spec: InputSpec): string {
  if (spec.default === undefined) throw new Error(`the input "${spec.description}" has no default to give a flag`)
  return spec.default
}
