// The `trent` CLI run with an environment of the test's choosing (root key and PKCS#11 settings), its stderr
// kept: the custody verbs report progress there. The process handle is returned so a test can kill -9 it.
import { spawn, type ChildProcess } from 'node:child_process'
import { e2eRootKeyEnv } from './server.js'
import { CLI_JS } from './trent-cli.js'

export interface CliRun {
  child: ChildProcess
  stdout(): string
  stderr(): string
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

function dataDirArg(args: string[]): string | undefined {
  const at = args.indexOf('--data-dir')
  return at === -1 ? undefined : args[at + 1]
}

export function startCli(args: string[], env: Record<string, string>): CliRun {
  const child = spawn(process.execPath, [CLI_JS, ...args], { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...e2eRootKeyEnv(dataDirArg(args)), ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  const out = { stdout: '', stderr: '' }
  child.stdout!.setEncoding('utf8').on('data', (s: string) => { out.stdout += s })
  child.stderr!.setEncoding('utf8').on('data', (s: string) => { out.stderr += s })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })))
  return { child, stdout: () => out.stdout, stderr: () => out.stderr, exited }
}

/** Runs the CLI to the end; rejects with its stderr on a non-zero exit. */
export async function runCli(args: string[], env: Record<string, string>): Promise<{ stdout: string; stderr: string }> {
  const run = startCli(args, env)
  const { code } = await run.exited
  if (code !== 0) throw new Error(`trent ${args.join(' ')} exited ${code}:\n${run.stderr()}\n${run.stdout()}`)
  return { stdout: run.stdout(), stderr: run.stderr() }
}
