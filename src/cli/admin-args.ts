// Argument handling shared by the administration verbs (account, user, role, access-key, identity-policy,
// principal-tag, role-session, policy): sub-command dispatch, usage errors, common options, JSON output.
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { AdminError } from '../auth/principal-admin.js'
import type { Store } from '../store/store.js'
import type { CliCommand } from './command.js'

/** A mistake in how the command was called: reported with the usage text and exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

export type Subcommand = (args: string[], io: CliIo) => Promise<number>

export interface CliIo {
  out: NodeJS.WritableStream
  err: NodeJS.WritableStream
  env: NodeJS.ProcessEnv
}

const defaultIo = (): CliIo => ({ out: process.stdout, err: process.stderr, env: process.env })

/** A verb made of sub-commands (`trent user create …`), with usage on error and exit code 2 for misuse. */
export function verbWithSubcommands(name: string, summary: string, usage: string, subcommands: Record<string, Subcommand>): CliCommand & { runWith(args: string[], io: CliIo): Promise<number> } {
  const runWith = async (args: string[], io: CliIo): Promise<number> => {
    const [sub, ...rest] = args
    const run = sub === undefined ? undefined : subcommands[sub]
    if (!run) {
      io.err.write(usage)
      return sub === undefined || sub === 'help' || sub === '--help' ? 0 : 2
    }
    try {
      return await run(rest, io)
    } catch (e) {
      const isUsage = e instanceof UsageError || (e instanceof TypeError && String((e as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS'))
      const isRefusal = e instanceof AdminError || e instanceof RangeError
      if (!isUsage && !isRefusal) throw e
      io.err.write(`trent ${name} ${sub}: ${(e as Error).message}\n`)
      if (isUsage) io.err.write(usage)
      return isUsage ? 2 : 1
    }
  }
  return { name, summary, run: (args) => runWith(args, defaultIo()), runWith }
}

type Options = NonNullable<ParseArgsConfig['options']>

/** Parses options strictly; `--data-dir` (or TRENT_DATA_DIR) is always accepted and required. */
export function parseOptions<O extends Options>(args: string[], options: O, env: NodeJS.ProcessEnv) {
  const parsed = parseArgs({ args, options: { ...options, 'data-dir': { type: 'string' } }, strict: true, allowPositionals: true })
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>
  const dataDir = optional(values, 'data-dir') ?? env.TRENT_DATA_DIR
  if (dataDir === undefined) throw new UsageError('--data-dir is required (or set TRENT_DATA_DIR)')
  return { values, positionals: parsed.positionals, dataDir }
}

export function required(values: Record<string, unknown>, name: string): string {
  const value = values[name]
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`)
  return value
}

export function optional(values: Record<string, unknown>, name: string): string | undefined {
  const value = values[name]
  return typeof value === 'string' ? value : undefined
}

/** `k=v` pairs (repeatable options or positionals) as a record. */
export function keyValues(items: readonly string[] | undefined, what: string): Record<string, string> {
  // No prototype: a tag or context key `__proto__` is an ordinary key, not a silently dropped assignment.
  const out: Record<string, string> = Object.create(null)
  for (const item of items ?? []) {
    const eq = item.indexOf('=')
    if (eq <= 0) throw new UsageError(`${what} must look like key=value: ${item}`)
    out[item.slice(0, eq)] = item.slice(eq + 1)
  }
  return out
}

export function requireAccountId(text: string): string {
  if (!/^\d{12}$/.test(text)) throw new UsageError(`account ids are 12 digits: ${text}`)
  return text
}

export function printJson(io: CliIo, value: unknown): void {
  io.out.write(`${JSON.stringify(value, null, 2)}\n`)
}

/** `--account`, or the data directory's default account (the one the server created on first start). */
export async function accountOf(values: Record<string, unknown>, store: Store): Promise<string> {
  const given = optional(values, 'account')
  if (given !== undefined) return requireAccountId(given)
  const fallback = await store.getSetting('default-account')
  if (fallback === undefined) throw new UsageError('--account is required (this data directory has no default account yet)')
  return fallback
}
