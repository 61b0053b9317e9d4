// A root key kept in a local file: 32 random bytes stored as one line of base64 (same text as TRENT_ROOT_KEY),
// created on first start with mode 0600, and refused on later starts if group or others can read it.
import { randomBytes } from 'node:crypto'
import { open, mkdir, link, unlink } from 'node:fs/promises'
import { dirname } from 'node:path'
import { jsonLogger } from '../logging/logger.js'
import { syncDirectory } from '../store/sync-directory.js'
import { decodeRootKeyBase64, inProcessRootKey, type RootKey } from './root-key.js'

/**
 * Loads the root key at `path`, creating it first if the file does not exist. Creation is atomic and
 * never replaces an existing file, so concurrent first starts agree on one key.
 * Throws Error when the file is not a regular file, is accessible to group/other, or does not hold
 * base64 of exactly 32 bytes; and on any I/O error other than the file being absent.
 */
export async function loadOrCreateFileRootKey(path: string, allowOpen = false): Promise<{ rootKey: RootKey; created: boolean }> {
  const existing = await readRootKeyFile(path, allowOpen)
  if (existing !== undefined) return { rootKey: existing, created: false }
  const created = await createRootKeyFile(path)
  if (created !== undefined) return { rootKey: created, created: true }
  const raced = await readRootKeyFile(path, allowOpen)
  if (raced === undefined) throw new Error(`root key file ${path} vanished while it was being created`)
  return { rootKey: raced, created: false }
}

/**
 * Loads the root key at `path` without ever creating one; undefined when the file does not exist.
 * Throws as loadOrCreateFileRootKey does for an unsafe or malformed file.
 */
export async function loadExistingFileRootKey(path: string, allowOpen = false): Promise<RootKey | undefined> {
  return readRootKeyFile(path, allowOpen)
}

/** `allowOpen` (TRENT_ALLOW_OPEN_PERMISSIONS) turns the refusal of a group/other-readable file into a warning. */
async function readRootKeyFile(path: string, allowOpen: boolean): Promise<RootKey | undefined> {
  let handle
  try {
    handle = await open(path, 'r')
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return undefined
    throw err
  }
  try {
    const info = await handle.stat()
    if (!info.isFile()) throw new Error(`root key file ${path} is not a regular file`)
    if ((info.mode & 0o077) !== 0) {
      if (!allowOpen) throw new Error(`root key file ${path} is accessible to group or others; run: chmod 600 ${path}`)
      jsonLogger.warn({ path, mode: (info.mode & 0o777).toString(8) }, 'root key file is accessible to group or others; allowed by TRENT_ALLOW_OPEN_PERMISSIONS')
    }
    // Read as bytes so this copy of the key text can be wiped; the decoded string cannot be.
    const text = await handle.readFile()
    const key = decodeRootKeyBase64(text.toString('utf8'))
    text.fill(0)
    if (key === undefined) throw new Error(`root key file ${path} must hold base64 of exactly 32 bytes`)
    const rootKey = inProcessRootKey(key, `file:${path}`)
    key.fill(0)
    return rootKey
  } finally {
    await handle.close()
  }
}

/** Returns the new key, or undefined when another process created the file first. */
async function createRootKeyFile(path: string): Promise<RootKey | undefined> {
  const dir = dirname(path)
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const key = randomBytes(32)
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
  const handle = await open(tmp, 'wx', 0o600)
  try {
    try {
      await handle.writeFile(`${key.toString('base64')}\n`, 'utf8')
      await handle.sync()
    } finally {
      await handle.close()
    }
    // link() fails with EEXIST where rename() would replace: a second starter must not clobber the key.
    await link(tmp, path)
  } catch (err) {
    if (errorCode(err) === 'EEXIST') return undefined
    throw err
  } finally {
    await unlink(tmp)
  }
  await syncDirectory(dir)
  const rootKey = inProcessRootKey(key, `file:${path}`)
  key.fill(0)
  return rootKey
}

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined
}
