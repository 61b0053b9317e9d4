// `trent encrypt|decrypt|k8s-kms-plugin` as API clients in the e2e tests: the compiled CLI spawned with only
// the standard AWS environment pointing it at a running server, and its peak memory measured from /proc.
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { CLI_JS } from './trent-cli.js'
import { E2E_CREDENTIALS, E2E_REGION } from './server.js'

/** The environment an operator's shell would have: AWS credentials, region and the KMS endpoint variable. */
export function awsEnv(url: string, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH, HOME: process.env.HOME, NODE_NO_WARNINGS: '1',
    AWS_ACCESS_KEY_ID: E2E_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: E2E_CREDENTIALS.secretAccessKey,
    AWS_REGION: E2E_REGION, AWS_ENDPOINT_URL_KMS: url, AWS_MAX_ATTEMPTS: '1', ...extra,
  }
  const out: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v
  return out
}

export interface CliRun {
  code: number | null
  stdout: Buffer
  stderr: string
  /** Peak resident set size (VmHWM) in bytes, polled from /proc while it ran. */
  peakRss: number
}

/** Spawns `trent <args>` with `env`, feeding `stdin` when given, and resolves when it exits. */
export function runTrent(args: string[], env: NodeJS.ProcessEnv, stdin?: Buffer): Promise<CliRun> {
  const child = spawn(process.execPath, [CLI_JS, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] })
  const out: Buffer[] = []
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => out.push(c))
  child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s })
  child.stdin.end(stdin ?? Buffer.alloc(0))
  const peak = watchPeakRss(child)
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 170_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout: Buffer.concat(out), stderr, peakRss: peak.stop() })
    })
  })
}

function watchPeakRss(child: ChildProcess): { stop(): number } {
  let peak = 0
  const read = () => {
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))
      if (match) peak = Math.max(peak, Number(match[1]) * 1024)
    } catch {
      // The process has exited; the last reading stands.
    }
  }
  const timer = setInterval(read, 20)
  return {
    stop() {
      clearInterval(timer)
      return peak
    },
  }
}
