// Assembles the services from their parts. main.ts uses it with real parts; tests with in-memory ones.
import { randomBytes } from 'node:crypto'
import { GroupCommitAuditLog, type AuditLog } from './audit/audit-log.js'
import { accountAuthorizer, type Authorizer } from './auth/authorizer.js'
import { systemClock, type Clock } from './config/clock.js'
import type { Services } from './http/services.js'
import { Keyring } from './keys/keyring.js'
import { jsonLogger, type Logger } from './logging/logger.js'
import { registry } from './operations/registry.js'
import type { RootKey } from './rootkey/root-key.js'
import type { Store } from './store/store.js'

export interface AppParts {
  store: Store
  rootKey: RootKey
  region: string
  clock?: Clock
  random?: (n: number) => Uint8Array
  logger?: Logger
  authorizer?: Authorizer
  auditLog?: AuditLog
}

export function createServices(parts: AppParts): Services {
  return {
    region: parts.region,
    clock: parts.clock ?? systemClock,
    random: parts.random ?? ((n) => new Uint8Array(randomBytes(n))),
    store: parts.store,
    rootKey: parts.rootKey,
    keyring: new Keyring(parts.rootKey, parts.store),
    auditLog: parts.auditLog ?? new GroupCommitAuditLog(parts.store),
    authorizer: parts.authorizer ?? accountAuthorizer,
    registry,
    logger: parts.logger ?? jsonLogger,
  }
}
