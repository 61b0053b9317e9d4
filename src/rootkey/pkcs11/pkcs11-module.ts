// One loaded, initialised PKCS#11 module per library path in this process. C_Initialize may run only once
// per process, and two root keys (a migration from one token key to another) can share a module. After a
// token fault the module may need re-initialising to see the token again (SoftHSM2 rescans its tokens only
// in C_Initialize); resetPkcs11Module() does that, and every session opened before it is then stale.
import pkcs11js from 'pkcs11js'

interface Loaded {
  module: pkcs11js.PKCS11
  /** Bumped by every reset: sessions opened under an older generation are gone. */
  generation: number
  lastResetAt: number
  /** False after a reset whose C_Initialize failed (the token still gone): the next use tries again. */
  initialised: boolean
}

const loaded = new Map<string, Loaded>()
/** Resets are rate-limited so that requests during an outage do not re-initialise the module each time. */
export const minResetIntervalMs = 1_000

/**
 * The module at `path`, loaded and initialised on first use (and again after a reset that could not
 * initialise it). Throws when the library cannot be loaded or initialised.
 */
export function pkcs11Module(path: string): pkcs11js.PKCS11 {
  const entry = loadedModule(path)
  if (!entry.initialised) {
    initialise(entry.module)
    entry.initialised = true
  }
  return entry.module
}

/** How many times the module was re-initialised; a session remembers it to know when it went stale. */
export function pkcs11Generation(path: string): number {
  return loadedModule(path).generation
}

/**
 * C_Finalize then C_Initialize, at most once a second; returns whether it ran. Errors from C_Finalize are
 * ignored; when C_Initialize fails the module stays uninitialised until pkcs11Module() succeeds in it.
 */
export function resetPkcs11Module(path: string): boolean {
  const entry = loadedModule(path)
  if (Date.now() - entry.lastResetAt < minResetIntervalMs) return false
  entry.lastResetAt = Date.now()
  entry.generation++
  try {
    entry.module.C_Finalize()
  } catch {
    // Not initialised or already broken: initialising again is what matters.
  }
  entry.initialised = false
  try {
    initialise(entry.module)
    entry.initialised = true
  } catch {
    // Still unreachable; the caller reports the token unavailable.
  }
  return entry.initialised
}

function loadedModule(path: string): Loaded {
  const existing = loaded.get(path)
  if (existing) return existing
  const module = new pkcs11js.PKCS11()
  module.load(path)
  initialise(module)
  const entry = { module, generation: 0, lastResetAt: 0, initialised: true }
  loaded.set(path, entry)
  return entry
}

function initialise(module: pkcs11js.PKCS11): void {
  try {
    module.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK })
  } catch (e) {
    if (!(e instanceof pkcs11js.Pkcs11Error && e.code === pkcs11js.CKR_CRYPTOKI_ALREADY_INITIALIZED)) throw e
  }
}

/** The PKCS#11 return-value name of an error from the module (e.g. 'CKR_DEVICE_REMOVED'), else its class name. */
export function pkcs11ErrorName(e: unknown): string {
  if (e instanceof pkcs11js.Pkcs11Error) return /CKR_[A-Z_]+/.exec(e.message)?.[0] ?? `CKR 0x${e.code.toString(16)}`
  return e instanceof Error ? e.name : 'error'
}

export { pkcs11js }
