#!/usr/bin/env node
/**
 * `cutover`: the same gates from a terminal. Exit codes follow the runbooks: 0 pass, 1 warn, 2 fail.
 * Each subcommand is one entry of COMMANDS (src/cli/command.ts): a new one is a file and a line here.
 */
import { configJsonSchema } from '../core/checklist.js'
import { ConfigError } from '../core/config.js'
import { UsageError, usageLine, wantsHelp, type Command } from './command.js'
import { bundleExport, bundleVerify } from './bundle.js'
import { LKG_USAGE, lastKnownGoodCommand } from './last-known-good.js'
import { checkCommand } from './check.js'
import { decideEntry as decide } from './decide.js'
import { evidenceSeal, evidenceVerify } from './evidence.js'
import { initCommand } from './init.js'
import { REHEARSE_USAGE, rehearseCommand } from './rehearse.js'
import { validateCommand } from './validate.js'
import { packageVersion } from './version.js'
import { didYouMean, nearest } from '../lib/suggest.js'

const schema: Command = {
  name: 'schema',
  summary: 'Print the JSON Schema of cutover.yml (for editors)',
  usage: `Usage: cutover schema

Prints the JSON Schema of cutover.yml: every gate and its inputs, the rollout: and decide: blocks.
Point an editor at it (VS Code's yaml.schemas) to get completion and checks while writing the file.`,
  run: async (args) => {
    if (args.length) throw new UsageError(`schema takes no arguments, not ${args.join(' ')}`)
    process.stdout.write(JSON.stringify(configJsonSchema((await import('../gates/index.js')).gates), null, 2) + '\n')
    return 0
  },
}

const rehearse: Command = {
  name: 'rehearse',
  summary: "Run the cutover's phases locally, promotion and rollback commands included",
  usage: REHEARSE_USAGE,
  run: async (args) => rehearseCommand(args, (await import('../gates/index.js')).gates),
}

const lastKnownGood: Command = {
  name: 'last-known-good',
  summary: "Read (or record) an environment's last known good release and its rollback target",
  usage: LKG_USAGE,
  run: (args) => lastKnownGoodCommand(args, { env: process.env, out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) }),
}

export const COMMANDS: Command[] = [
  checkCommand,
  validateCommand,
  initCommand,
  evidenceSeal,
  evidenceVerify,
  decide,
  bundleVerify,
  bundleExport,
  lastKnownGood,
  rehearse,
  schema,
]

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length))
  return `Usage: cutover <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

  cutover <command> --help   the options of one command
  cutover --version          the version of this CLI

Exit codes: 0 pass, 1 warn, 2 fail (or the command could not run).`
}

/** The usage of a command group (`cutover evidence --help`): its subcommands' usages, one after another. */
function groupUsage(members: Command[]): string {
  return members.map((c) => c.usage).join('\n\n')
}

export async function main(argv: string[]): Promise<number> {
  const [first, second, ...more] = argv
  if (first === undefined) {
    process.stderr.write(`cutover: say which command to run; see \`cutover --help\`\n`)
    return 2
  }
  // `cutover help check` is `cutover check --help`.
  if (first === 'help' && second !== undefined) return main([second, ...more.filter((a) => !a.startsWith('-')).slice(0, 1), '--help'])
  if (first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(usage() + '\n')
    return 0
  }
  if (first === '--version' || first === '-V' || first === 'version') {
    try {
      process.stdout.write(packageVersion() + '\n')
      return 0
    } catch (err) {
      process.stderr.write(`cutover: cannot tell its own version: ${(err as Error).message}\n`)
      return 2
    }
  }
  const command = COMMANDS.find((c) => c.name === first) ?? (second ? COMMANDS.find((c) => c.name === `${first} ${second}`) : undefined)
  if (!command) {
    const members = COMMANDS.filter((c) => c.name.startsWith(`${first} `))
    if (members.length) {
      if (wantsHelp(argv.slice(1)) && (second === undefined || second.startsWith('-'))) {
        process.stdout.write(groupUsage(members) + '\n')
        return 0
      }
      const subs = members.map((c) => c.name.slice(first.length + 1))
      const said = second === undefined ? 'say which' : `there is no "${second}"${didYouMean(second, subs)}`
      process.stderr.write(usageLine(first, `${said}: cutover ${first} ${subs.join(' or ')}`))
      return 2
    }
    const names = [...new Set(COMMANDS.map((c) => c.name.split(' ')[0]))]
    const near = nearest(first, names)
    process.stderr.write(`cutover: unknown command "${first}"${near ? ` (did you mean \`${near}\`?)` : ''}; see \`cutover --help\`\n`)
    return 2
  }
  const args = command.name.includes(' ') ? more : argv.slice(1)
  if (wantsHelp(args)) {
    process.stdout.write(command.usage + '\n')
    return 0
  }
  try {
    return await command.run(args)
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(usageLine(command.name, err.message))
      return 2
    }
    // A config problem names the file and the spot; the command's usage would not help.
    if (err instanceof ConfigError) {
      process.stderr.write(`cutover ${command.name}: ${err.message}\n`)
      return 2
    }
    process.stderr.write(`cutover ${command.name}: ${err instanceof Error ? err.message : String(err)}\n`)
    return 2
  }
}

process.exitCode = await main(process.argv.slice(2))
