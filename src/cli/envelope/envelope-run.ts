// What `trent encrypt` and `trent decrypt` share: the KMS connection options, parsing, and running one
// input through an ESDK stream into one output with a progress bar and clear errors.
import { parseArgs, type ParseArgsConfig } from 'node:util'
import type { Duplex, Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { existsSync, statSync } from 'node:fs'
import { basename, join } from 'node:path'
import { UsageError } from '../admin-args.js'
import { createEnvelope, type Envelope, type EnvelopeOptions } from '../../integrations/envelope/envelope.js'
import { openInput, openOutput } from './file-streams.js'
import { progressMeter, wantsProgress } from './progress.js'

type Options = NonNullable<ParseArgsConfig['options']>

/** Options both verbs take. Credentials and region come from the AWS SDK's default chains (AWS_*, AWS_PROFILE). */
export const connectionOptions = {
  'endpoint-url': { type: 'string' },
  region: { type: 'string' },
  in: { type: 'string', multiple: true },
  out: { type: 'string' },
  'max-encrypted-data-keys': { type: 'string' },
  'no-progress': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options

export interface CliStdio {
  stdin: Readable
  stdout: Writable
  stderr: NodeJS.WriteStream
  env: NodeJS.ProcessEnv
}

export const processStdio = (): CliStdio => ({ stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env })

export function parseVerbArgs<O extends Options>(args: string[], options: O) {
  const parsed = parseArgs({ args, options: { ...connectionOptions, ...options }, strict: true, allowPositionals: false })
  return parsed.values as Record<string, string | boolean | string[] | undefined>
}

/** A whole number > 0 from an option, or undefined when the option is absent. */
export function positiveInteger(values: Record<string, unknown>, name: string): number | undefined {
  const text = values[name]
  if (text === undefined) return undefined
  const n = Number(text)
  if (typeof text !== 'string' || !/^\d+$/.test(text) || !Number.isSafeInteger(n) || n <= 0) throw new UsageError(`--${name} must be a whole number above 0: ${String(text)}`)
  return n
}

export function envelopeFor(values: Record<string, unknown>, extra: Partial<EnvelopeOptions> = {}): Envelope {
  const options: EnvelopeOptions = { ...extra }
  if (typeof values['endpoint-url'] === 'string') options.endpoint = values['endpoint-url']
  if (typeof values.region === 'string') options.region = values.region
  const maxKeys = positiveInteger(values, 'max-encrypted-data-keys')
  if (maxKeys !== undefined) options.maxEncryptedDataKeys = maxKeys
  return createEnvelope(options)
}

function requiredOut(values: Record<string, unknown>): string {
  const value = values.out
  if (typeof value !== 'string' || value === '') throw new UsageError('--out FILE|DIR|- is required')
  return value
}

/**
 * Streams each `--in` through a fresh `transform` into its output: `--out` itself for one input, else
 * `--out DIR/<outputName(input)>` (several inputs share one envelope, hence its data-key cache). A file output
 * appears only if its input fully succeeded; the first failure removes its temporary file and stops the run.
 */
export async function runThrough(
  io: CliStdio, values: Record<string, unknown>, label: string, outputName: (inputBase: string) => string, transform: (inputSize: number | undefined) => Duplex,
): Promise<void> {
  const inputs = (values.in as string[] | undefined) ?? []
  if (inputs.length === 0 || inputs.includes('')) throw new UsageError('--in FILE|- is required')
  const out = requiredOut(values)
  if (inputs.length === 1) return runOne(io, values, inputs[0]!, out, label, transform)
  if (inputs.includes('-')) throw new UsageError('--in - (stdin) cannot be combined with other inputs')
  if (out === '-' || !existsSync(out) || !statSync(out).isDirectory()) throw new UsageError('with several --in, --out must be an existing directory')
  for (const input of inputs) await runOne(io, values, input, join(out, outputName(basename(input))), `${label} ${basename(input)}`, transform)
}

async function runOne(io: CliStdio, values: Record<string, unknown>, inPath: string, outPath: string, label: string, transform: (inputSize: number | undefined) => Duplex): Promise<void> {
  const input = openInput(inPath, io.stdin)
  const output = openOutput(outPath, io.stdout)
  const stages: NodeJS.ReadWriteStream[] = []
  if (wantsProgress(io.stderr, values['no-progress'] === true)) stages.push(progressMeter(io.stderr, input.size, label))
  try {
    await pipeline([input.stream, ...stages, transform(input.size), output.stream])
    output.commit()
  } catch (e) {
    output.discard()
    throw e
  }
}

/** Runs a verb: usage errors exit 2 with the usage text, envelope and file errors exit 1 with one clear line. */
export async function runVerb(name: string, usage: string, io: CliStdio, body: () => Promise<void>): Promise<number> {
  try {
    await body()
    return 0
  } catch (e) {
    const isUsage = e instanceof UsageError || (e instanceof TypeError && String((e as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS'))
    if (isUsage) {
      io.stderr.write(`trent ${name}: ${(e as Error).message}\n${usage}`)
      return 2
    }
    io.stderr.write(`trent ${name}: ${describe(e)}\n`)
    return 1
  }
}

function describe(e: unknown): string {
  // EnvelopeErrors are written to be shown as they are; file system errors name the path and the reason.
  return e instanceof Error ? e.message.split('\n')[0]! : String(e)
}
