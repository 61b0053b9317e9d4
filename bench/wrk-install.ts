// Finds wrk (Debian package `wrk`), the load client of `npm run bench`. As root it installs the package;
// otherwise it stops with the command to run, rather than silently falling back to a slower client.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

export const WRK_PATH = '/usr/bin/wrk'

/** Returns the wrk binary's path, installing it with apt-get when running as root. Throws Error when it cannot. */
export function ensureWrk(log: (line: string) => void): string {
  if (existsSync(WRK_PATH)) return WRK_PATH
  if (process.getuid?.() !== 0) {
    throw new Error(`${WRK_PATH} not found. Install the load client first: sudo apt-get install -y wrk`)
  }
  log('wrk not found: running apt-get install -y wrk')
  const install = () => spawnSync('apt-get', ['install', '-y', 'wrk'], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } })
  // A fresh container may have no package lists yet; refresh them once and retry.
  if (install().status !== 0) {
    spawnSync('apt-get', ['update'], { stdio: ['ignore', 'ignore', 'inherit'] })
    install()
  }
  if (!existsSync(WRK_PATH)) throw new Error(`apt-get install -y wrk did not provide ${WRK_PATH}; install wrk and run the bench again`)
  return WRK_PATH
}
