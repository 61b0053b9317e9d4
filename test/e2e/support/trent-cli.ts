// The `trent` admin CLI as the e2e tests run it: the compiled CLI against a running server's data folder,
// as a separate process (so what it changes reaches the server through the store, as an operator's would).
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

export const CLI_JS = fileURLToPath(new URL('../../../src/cli/main.js', import.meta.url))
const run = promisify(execFile)

/** Runs `trent <args> --data-dir <dataDir>` and parses its JSON output ({} when it prints nothing). Rejects on a non-zero exit. */
export async function trentCli(dataDir: string, ...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, [CLI_JS, ...args, '--data-dir', dataDir], { timeout: 60_000, env: { PATH: process.env.PATH, HOME: process.env.HOME } })
  return stdout.trim() === '' ? {} : (JSON.parse(stdout) as Record<string, unknown>)
}
