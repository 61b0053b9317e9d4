// Peer deployments (issue 14): Regions served by ANOTHER Trent deployment, reached for multi-Region keys.
// TRENT_PEERS holds a JSON array; TRENT_PEERS_FILE names a file holding the same JSON (so the link secrets can
// live in a secrets mount rather than the environment). Each entry is one link: the peer's Region, its endpoint
// and the link credential that BOTH sides are configured with (A signs its calls to B with it, B verifies them
// with it). See docs/multi-region-peers-plan.md and the README's configuration table.
import { readFileSync, statSync } from 'node:fs'
import { ConfigError } from './config.js'

export interface PeerLink {
  /** The Region the peer deployment serves (one entry per Region; a peer serving two Regions has two entries). */
  region: string
  /** http(s)://host:port of the peer deployment, without a path. */
  endpoint: string
  /** The link credential: signs our calls to the peer and authenticates the peer's calls to us. */
  accessKeyId: string
  secretAccessKey: string
}

const REGION = /^([a-z]+-){2,3}\d+$/
const ACCESS_KEY_ID = /^[A-Z0-9]{16,128}$/

function parseEntry(value: unknown, index: number): PeerLink {
  const where = `TRENT_PEERS entry ${index}`
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigError(`${where} must be an object`)
  const entry = value as Record<string, unknown>
  const known = new Set(['region', 'endpoint', 'accessKeyId', 'secretAccessKey'])
  const unknown = Object.keys(entry).find((k) => !known.has(k))
  if (unknown !== undefined) throw new ConfigError(`${where} has an unknown field: ${unknown}`)
  const { region, endpoint, accessKeyId, secretAccessKey } = entry
  if (typeof region !== 'string' || !REGION.test(region)) throw new ConfigError(`${where}: region must be a region name`)
  if (typeof endpoint !== 'string') throw new ConfigError(`${where}: endpoint must be a URL`)
  let url: URL
  try { url = new URL(endpoint) } catch { throw new ConfigError(`${where}: endpoint must be a URL`) }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || (url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.username !== '' || url.password !== '') {
    throw new ConfigError(`${where}: endpoint must be http(s)://host[:port] with no path, query or credentials`)
  }
  if (typeof accessKeyId !== 'string' || !ACCESS_KEY_ID.test(accessKeyId)) throw new ConfigError(`${where}: accessKeyId must be 16-128 characters A-Z and 0-9`)
  // The secret is never echoed, not even in part.
  if (typeof secretAccessKey !== 'string' || secretAccessKey.length < 32) throw new ConfigError(`${where}: secretAccessKey must be at least 32 characters`)
  return { region, endpoint: url.origin, accessKeyId, secretAccessKey }
}

/** Parses the JSON text of TRENT_PEERS (or the file's contents). Throws ConfigError. */
export function parsePeers(text: string): PeerLink[] {
  let value: unknown
  try { value = JSON.parse(text) } catch { throw new ConfigError('TRENT_PEERS must be a JSON array of peer entries') }
  if (!Array.isArray(value)) throw new ConfigError('TRENT_PEERS must be a JSON array of peer entries')
  const peers = value.map(parseEntry)
  const regions = new Set<string>()
  const ids = new Set<string>()
  for (const peer of peers) {
    if (regions.has(peer.region)) throw new ConfigError(`TRENT_PEERS names region ${peer.region} twice`)
    regions.add(peer.region)
    // One credential per link: a shared id would make a caller's Region ambiguous on the receiving side.
    if (ids.has(peer.accessKeyId)) throw new ConfigError(`TRENT_PEERS uses access key id ${peer.accessKeyId} for two regions`)
    ids.add(peer.accessKeyId)
  }
  return peers
}

/**
 * The configured peers: TRENT_PEERS and TRENT_PEERS_FILE together (a Region may appear in only one of them).
 * The file must not be readable by group or others unless `allowOpenPermissions`.
 */
export function loadPeers(env: NodeJS.ProcessEnv, allowOpenPermissions: boolean): PeerLink[] {
  const inline = env.TRENT_PEERS !== undefined && env.TRENT_PEERS.trim() !== '' ? parsePeers(env.TRENT_PEERS) : []
  const path = env.TRENT_PEERS_FILE
  if (path === undefined || path === '') return inline
  let text: string
  try {
    if (!allowOpenPermissions && (statSync(path).mode & 0o077) !== 0) {
      throw new ConfigError(`TRENT_PEERS_FILE ${path} is accessible to group or others; chmod 600 it (or set TRENT_ALLOW_OPEN_PERMISSIONS=true)`)
    }
    text = readFileSync(path, 'utf8')
  } catch (e) {
    if (e instanceof ConfigError) throw e
    throw new ConfigError(`cannot read TRENT_PEERS_FILE ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`)
  }
  const fromFile = text.trim() === '' ? [] : parsePeers(text)
  // Parsed again together so a Region or access key id used in both places is refused like a duplicate in one.
  return parsePeers(JSON.stringify([...inline, ...fromFile]))
}
