// Where the workplace's AWS reference files are (the API model, the recorded error messages): in
// `shared/reference` beside the project. A clean clone of a local checkout, which is how CI and the pre-stop check
// run the tests (perhaps from a temporary folder), finds them beside the checkout it was cloned from instead.
// TRENT_REFERENCE_DIR names another folder. Read by the code generator and by the tests that compare against them.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The project root: this file is src/wire/ or, compiled, dist/src/wire/. */
const projectRoot = fileURLToPath(new URL(import.meta.url.includes('/dist/src/') ? '../../../' : '../../', import.meta.url))

/** The folder the project was cloned from, when its origin is a path on this machine. */
function localOrigin(): string | undefined {
  try {
    const url = execFileSync('git', ['-C', projectRoot, 'remote', 'get-url', 'origin'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
    const path = url.startsWith('file://') ? fileURLToPath(url) : url
    return isAbsolute(path) ? path : undefined
  } catch {
    return undefined
  }
}

/** The folders to search, in order; the clone's origin is asked of git only if the earlier ones are not enough. */
function* candidateDirs(env: NodeJS.ProcessEnv): Generator<string> {
  if (env.TRENT_REFERENCE_DIR) yield env.TRENT_REFERENCE_DIR
  yield join(projectRoot, '..', 'shared', 'reference')
  const origin = localOrigin()
  if (origin) yield join(origin, '..', 'shared', 'reference')
}

/** The folders searched, in order. */
export function referenceDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  return [...candidateDirs(env)]
}

/** The path of reference file `name` in the first folder that has it; where it is expected when none does. */
export function referenceFile(name: string, env: NodeJS.ProcessEnv = process.env): { path: string; found: boolean } {
  let first: string | undefined
  for (const dir of candidateDirs(env)) {
    const path = join(dir, name)
    first ??= path
    if (existsSync(path)) return { path, found: true }
  }
  return { path: first!, found: false }
}
