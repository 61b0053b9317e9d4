// Typed configuration from command-line flags and environment variables, with documented defaults.
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { DEFAULT_CACHE_POLL_MS } from '../cache/change-feed.js'
import { SCHEMA_NAME } from '../store/postgres/pool.js'
import { AWS_REGIONS } from './aws-regions.generated.js'
import type { Pkcs11Config } from '../rootkey/pkcs11/pkcs11-config.js'
import { pkcs11FromEnv } from '../rootkey/pkcs11/pkcs11-env.js'
import { loadPeers, type PeerLink } from './peer-config.js'

export const DEFAULT_PORT = 8400
export const DEFAULT_REGION = 'us-east-1'
export const MAX_WORKERS = 64

export interface Config {
  dataDir: string
  host: string
  port: number
  /** The default region: first-run messages and admin commands use it. Always one of `regions`. */
  region: string
  /** Every region this deployment serves (TRENT_REGIONS), each an isolated namespace of keys; the request's SigV4 scope picks one. */
  regions: readonly string[]
  /**
   * Regions served by other Trent deployments (TRENT_PEERS / TRENT_PEERS_FILE), for multi-Region keys whose
   * replicas live there. Never one of `regions`.
   */
  peers: readonly PeerLink[]
  /** Base64 root key from TRENT_ROOT_KEY; when absent the key lives in `rootKeyFile`. */
  rootKeyBase64?: string
  rootKeyFile: string
  /** Where the root key lives (TRENT_ROOT_KEY_PROVIDER): file (default), env (TRENT_ROOT_KEY) or pkcs11. */
  rootKeyProvider: RootKeyProviderName
  /** The PKCS#11 token and key (TRENT_PKCS11_*), when configured. */
  pkcs11?: Pkcs11Config
  /**
   * A root key being migrated away from (TRENT_ROOT_KEY_PREVIOUS, a provider spec such as `file` or
   * `file:/path`): still unwraps what it wrapped until `trent rootkey migrate` has rewrapped it.
   */
  rootKeyPrevious?: string
  bootstrap?: { accessKeyId: string; secretAccessKey: string }
  /** Account id for the first account; random when absent. */
  accountId?: string
  /** How often the deletion job looks for keys whose waiting period has ended. */
  jobIntervalMs: number
  /** How often the delivery job sends due messages to peer deployments (TRENT_PEER_RETRY_MS; jobs/deliver-peer-messages.ts). */
  peerRetryMs: number
  /** How often caches read other processes' changes (TRENT_CACHE_POLL_MS): the cross-process staleness bound. */
  cachePollMs: number
  /**
   * Accept SigV4 requests whose SignedHeaders leave out X-Amz-Target (awscurl). Off by default: an unsigned
   * target lets anyone holding one captured request replay its signature as another operation.
   */
  allowUnsignedTarget: boolean
  /** Server processes on the one port (--workers / TRENT_WORKERS); 1 is a single process with no cluster. */
  workers: number
  /**
   * PostgreSQL instead of `<dataDir>/trent.db` (TRENT_DATABASE_URL=postgres://…, TRENT_DATABASE_SCHEMA): several
   * nodes share one database. The data folder then holds only the root key file (when TRENT_ROOT_KEY is unset).
   */
  database?: DatabaseConfig
  /**
   * Start even when the data folder or the root key file is accessible to group or others, with a warning
   * (TRENT_ALLOW_OPEN_PERMISSIONS=true; e.g. a secrets mount whose permissions Trent cannot change). Off by default.
   */
  allowOpenPermissions: boolean
}

export interface DatabaseConfig {
  url: string
  /** Schema for Trent's tables, created when missing; the database's default search_path when absent. */
  schema?: string
}

export const ROOT_KEY_PROVIDERS = ['file', 'env', 'pkcs11'] as const
export type RootKeyProviderName = typeof ROOT_KEY_PROVIDERS[number]

/** TRENT_ROOT_KEY_PROVIDER; unset means env when TRENT_ROOT_KEY is set (as before providers existed), else file. */
function parseRootKeyProvider(env: NodeJS.ProcessEnv): RootKeyProviderName {
  const text = env.TRENT_ROOT_KEY_PROVIDER ?? (env.TRENT_ROOT_KEY !== undefined ? 'env' : 'file')
  const name = ROOT_KEY_PROVIDERS.find((p) => p === text)
  if (!name) throw new ConfigError(`TRENT_ROOT_KEY_PROVIDER must be one of ${ROOT_KEY_PROVIDERS.join(', ')}: ${text}`)
  if (name === 'env' && env.TRENT_ROOT_KEY === undefined) throw new ConfigError('TRENT_ROOT_KEY_PROVIDER=env needs TRENT_ROOT_KEY')
  if (name === 'pkcs11' && env.TRENT_PKCS11_MODULE === undefined) throw new ConfigError('TRENT_ROOT_KEY_PROVIDER=pkcs11 needs TRENT_PKCS11_MODULE and the other TRENT_PKCS11_* settings')
  return name
}

const REGION = /^([a-z]+-){2,3}\d+$/

export class ConfigError extends Error {
  override readonly name = 'ConfigError'
}

function parsePort(text: string): number {
  const port = Number(text)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`invalid port: ${text}`)
  return port
}

/**
 * TRENT_REGIONS: comma-separated region names; by default every region of the aws partition, so an unchanged
 * client works whatever region it is set to. The default region must be one of them: it is where first-run
 * credentials are announced, and a deployment that did not serve it would greet its operator with a refusal.
 */
function parseRegions(text: string | undefined, region: string, peerRegions: ReadonlySet<string>): readonly string[] {
  if (text === undefined) {
    // A Region a peer serves is the peer's: the default leaves it out rather than serving a second copy of it.
    const regions = (AWS_REGIONS.includes(region) ? AWS_REGIONS : [...AWS_REGIONS, region].sort()).filter((r) => !peerRegions.has(r))
    if (peerRegions.has(region)) throw new ConfigError(`the default region ${region} is served by a peer (TRENT_PEERS); set TRENT_REGION to a region this deployment serves`)
    return regions
  }
  const regions = [...new Set(text.split(',').map((r) => r.trim()).filter((r) => r !== ''))]
  if (regions.length === 0) throw new ConfigError('TRENT_REGIONS must name at least one region')
  const invalid = regions.find((r) => !REGION.test(r))
  if (invalid !== undefined) throw new ConfigError(`invalid region in TRENT_REGIONS: ${invalid}`)
  if (!regions.includes(region)) throw new ConfigError(`TRENT_REGIONS must include the default region ${region} (TRENT_REGION / --region)`)
  const shared = regions.find((r) => peerRegions.has(r))
  if (shared !== undefined) throw new ConfigError(`region ${shared} is both in TRENT_REGIONS and served by a peer (TRENT_PEERS)`)
  return regions
}

/** A NaN or non-positive interval would make setInterval fire every millisecond. */
function parseIntervalMs(text: string, name = 'TRENT_JOB_INTERVAL_MS'): number {
  const ms = Number(text)
  if (!Number.isSafeInteger(ms) || ms <= 0) throw new ConfigError(`${name} must be a positive whole number of milliseconds: ${text}`)
  return ms
}

/** The change-feed poll period; at most 10 s, so a change made elsewhere is never waited on for long. */
export function parseCachePollMs(env: NodeJS.ProcessEnv): number {
  const ms = parseIntervalMs(env.TRENT_CACHE_POLL_MS ?? String(DEFAULT_CACHE_POLL_MS), 'TRENT_CACHE_POLL_MS')
  if (ms > 10_000) throw new ConfigError(`TRENT_CACHE_POLL_MS must be at most 10000: ${ms}`)
  return ms
}

/**
 * One server process by default. Measured on the 2-core reference machine (bench/RESULTS.md), a cluster
 * costs about twice the CPU per request (records cross the IPC channel to the primary's writer), so with
 * the load on the same machine it serves fewer requests than one process. `--workers N` opts in where
 * there are spare cores; the default moves to one per CPU once the cluster path is cheaper than that.
 */
export function defaultWorkers(): number {
  return 1
}

function parseWorkers(text: string): number {
  const n = Number(text)
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < 1 || n > MAX_WORKERS) {
    throw new ConfigError(`--workers / TRENT_WORKERS must be a whole number from 1 to ${MAX_WORKERS}: ${text}`)
  }
  return n
}

/**
 * TRENT_DATABASE_URL / TRENT_DATABASE_SCHEMA, or undefined for the embedded SQLite default. Throws ConfigError
 * for a URL that is not postgres:// or postgresql://, a schema name that is not a plain lower-case identifier,
 * or a schema without a URL.
 */
export function parseDatabase(env: NodeJS.ProcessEnv): DatabaseConfig | undefined {
  const { TRENT_DATABASE_URL: url, TRENT_DATABASE_SCHEMA: schema } = env
  if (url === undefined || url === '') {
    if (schema !== undefined) throw new ConfigError('TRENT_DATABASE_SCHEMA needs TRENT_DATABASE_URL')
    return undefined
  }
  // The URL may carry a password: it is never echoed in a message.
  if (!/^postgres(ql)?:\/\//.test(url)) throw new ConfigError('TRENT_DATABASE_URL must start with postgres:// or postgresql://')
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new ConfigError(`TRENT_DATABASE_SCHEMA must be a lower-case identifier (letters, digits, _; at most 63): ${schema}`)
  }
  return schema === undefined ? { url } : { url, schema }
}

/** 'true' or 'false' only: a typo such as 'yes' must not silently leave a security switch in an unexpected state. */
function parseBoolean(name: string, text: string): boolean {
  if (text === 'true') return true
  if (text === 'false') return false
  throw new ConfigError(`${name} must be true or false: ${text}`)
}

/**
 * Reads flags (`--port`, `--host`, `--data-dir`, `--region`, `--allow-unsigned-target`, `--workers`) over env (`TRENT_*`)
 * over defaults. Throws ConfigError.
 */
export function loadConfig(argv: string[], env: NodeJS.ProcessEnv): Config {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' }, host: { type: 'string' }, 'data-dir': { type: 'string' }, region: { type: 'string' },
      'allow-unsigned-target': { type: 'boolean' }, workers: { type: 'string' },
    },
    strict: true,
  })
  const dataDir = resolve(values['data-dir'] ?? env.TRENT_DATA_DIR ?? './data')
  const region = values.region ?? env.TRENT_REGION ?? DEFAULT_REGION
  if (!REGION.test(region)) throw new ConfigError(`invalid region: ${region}`)
  const allowOpenPermissions = parseBoolean('TRENT_ALLOW_OPEN_PERMISSIONS', env.TRENT_ALLOW_OPEN_PERMISSIONS ?? 'false')
  const peers = loadPeers(env, allowOpenPermissions)
  const regions = parseRegions(env.TRENT_REGIONS, region, new Set(peers.map((p) => p.region)))
  const accountId = env.TRENT_ACCOUNT_ID
  if (accountId !== undefined && !/^\d{12}$/.test(accountId)) throw new ConfigError('TRENT_ACCOUNT_ID must be 12 digits')
  const { TRENT_BOOTSTRAP_ACCESS_KEY_ID: id, TRENT_BOOTSTRAP_SECRET_ACCESS_KEY: secret } = env
  if ((id === undefined) !== (secret === undefined)) {
    throw new ConfigError('set both TRENT_BOOTSTRAP_ACCESS_KEY_ID and TRENT_BOOTSTRAP_SECRET_ACCESS_KEY, or neither')
  }
  if (id !== undefined && !/^[A-Z0-9]{16,128}$/.test(id)) throw new ConfigError('TRENT_BOOTSTRAP_ACCESS_KEY_ID must be 16-128 characters A-Z and 0-9')
  if (secret !== undefined && secret.length < 16) throw new ConfigError('TRENT_BOOTSTRAP_SECRET_ACCESS_KEY must be at least 16 characters')
  const envAllowsUnsignedTarget = parseBoolean('TRENT_ALLOW_UNSIGNED_TARGET', env.TRENT_ALLOW_UNSIGNED_TARGET ?? 'false')
  const allowUnsignedTarget = values['allow-unsigned-target'] ?? envAllowsUnsignedTarget
  const workers = values.workers !== undefined || env.TRENT_WORKERS !== undefined ? parseWorkers(values.workers ?? env.TRENT_WORKERS ?? '') : defaultWorkers()
  const database = parseDatabase(env)
  // The cluster's workers share the primary's SQLite file and writer; on PostgreSQL, run more nodes instead.
  if (database && workers > 1) throw new ConfigError('--workers above 1 is for the SQLite store; with TRENT_DATABASE_URL run several nodes instead')
  return {
    dataDir,
    host: values.host ?? env.TRENT_HOST ?? '127.0.0.1',
    port: parsePort(values.port ?? env.TRENT_PORT ?? String(DEFAULT_PORT)),
    region,
    regions,
    peers,
    rootKeyBase64: env.TRENT_ROOT_KEY,
    rootKeyFile: resolve(env.TRENT_ROOT_KEY_FILE ?? `${dataDir}/root.key`),
    rootKeyProvider: parseRootKeyProvider(env),
    pkcs11: pkcs11FromEnv(env),
    rootKeyPrevious: env.TRENT_ROOT_KEY_PREVIOUS,
    bootstrap: id !== undefined && secret !== undefined ? { accessKeyId: id, secretAccessKey: secret } : undefined,
    accountId,
    jobIntervalMs: parseIntervalMs(env.TRENT_JOB_INTERVAL_MS ?? '60000'),
    peerRetryMs: parseIntervalMs(env.TRENT_PEER_RETRY_MS ?? '1000', 'TRENT_PEER_RETRY_MS'),
    cachePollMs: parseCachePollMs(env),
    allowUnsignedTarget,
    allowOpenPermissions,
    workers,
    ...(database ? { database } : {}),
  }
}

/** Environment variables that carry secrets. */
export const SECRET_ENV_NAMES = ['TRENT_ROOT_KEY', 'TRENT_BOOTSTRAP_SECRET_ACCESS_KEY', 'TRENT_PKCS11_PIN', 'TRENT_DATABASE_URL', 'TRENT_PEERS'] as const

/**
 * loadConfig, then deletes the secret variables from `env` (the server passes process.env), so worker threads
 * and any child process do not inherit them and later code cannot read them again. The kernel's copy of the
 * initial environment (/proc/<pid>/environ) is not changed by this; see the README.
 */
export function takeConfig(argv: string[], env: NodeJS.ProcessEnv): Config {
  const config = loadConfig(argv, env)
  for (const name of SECRET_ENV_NAMES) delete env[name]
  return config
}
