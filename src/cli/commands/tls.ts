// `trent tls dev-cert --out DIR`: a self-signed certificate for local HTTPS (TRENT_TLS_CERT / TRENT_TLS_KEY).
// Node has no X.509 builder, so the `openssl` command line makes it: an ECDSA P-256 key, SHA-256, with
// localhost, 127.0.0.1 and ::1 (and any --host) as subject alternative names. For development only.
import { execFileSync } from 'node:child_process'
import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type { CliCommand } from '../command.js'

const USAGE = 'usage: trent tls dev-cert --out DIR [--host NAME_OR_IP]... [--days N]\n'

const IP = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:]*)$/
const HOST = /^[A-Za-z0-9*]([A-Za-z0-9.-]{0,252})$/

/** The subjectAltName extension text, refusing names that could smuggle other openssl syntax. */
export function subjectAltNames(hosts: readonly string[]): string {
  const names = ['localhost', '127.0.0.1', '::1', ...hosts]
  const entries = [...new Set(names)].map((name) => {
    if (IP.test(name)) return `IP:${name}`
    if (HOST.test(name)) return `DNS:${name}`
    throw new TypeError(`not a host name or IP address: ${name}`)
  })
  return `subjectAltName=${entries.join(',')}`
}

/** Writes `cert.pem` and `key.pem` (mode 0600) into `outDir` (made 0700 when absent). Returns their paths. */
export function makeDevCert(outDir: string, options: { hosts?: string[]; days?: number } = {}): { cert: string; key: string } {
  const dir = resolve(outDir)
  if (statSync(dir, { throwIfNoEntry: false }) === undefined) mkdirSync(dir, { recursive: true, mode: 0o700 })
  const cert = join(dir, 'cert.pem')
  const key = join(dir, 'key.pem')
  // Created owner-only before openssl writes into it, so the private key is never readable by others, even briefly.
  closeSync(openSync(key, 'w', 0o600))
  chmodSync(key, 0o600)
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-sha256', '-nodes',
    '-keyout', key, '-out', cert, '-days', String(options.days ?? 30), '-subj', '/CN=trent development certificate',
    '-addext', subjectAltNames(options.hosts ?? []),
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,digitalSignature,keyCertSign',
    '-addext', 'extendedKeyUsage=serverAuth',
  ], { stdio: ['ignore', 'ignore', 'pipe'] })
  return { cert, key }
}

export const tlsCommand: CliCommand = {
  name: 'tls',
  summary: 'make a self-signed development certificate for HTTPS (dev-cert)',
  async run(args) {
    const [sub, ...rest] = args
    if (sub !== 'dev-cert') {
      process.stderr.write(USAGE)
      return sub === undefined || sub === 'help' || sub === '--help' ? 0 : 2
    }
    let out: string
    let hosts: string[]
    let days: number
    try {
      const { values } = parseArgs({ args: rest, options: { out: { type: 'string' }, host: { type: 'string', multiple: true }, days: { type: 'string' } }, strict: true })
      if (values.out === undefined) throw new TypeError('--out DIR is required')
      days = Number(values.days ?? '30')
      if (!Number.isInteger(days) || days < 1 || days > 825) throw new TypeError('--days must be a whole number from 1 to 825')
      out = values.out
      hosts = values.host ?? []
      subjectAltNames(hosts)
    } catch (e) {
      process.stderr.write(`trent tls dev-cert: ${e instanceof Error ? e.message : String(e)}\n${USAGE}`)
      return 2
    }
    const files = makeDevCert(out, { hosts, days })
    process.stdout.write(
      `wrote ${files.cert} and ${files.key} (self-signed, ${days} days; for development only)\n` +
        `  start:   TRENT_TLS_CERT=${files.cert} TRENT_TLS_KEY=${files.key} npm start\n` +
        `  AWS CLI: aws --endpoint-url https://localhost:8400 --ca-bundle ${files.cert} kms list-keys\n` +
        `  SDKs:    NODE_EXTRA_CA_CERTS=${files.cert} (Node), AWS_CA_BUNDLE=${files.cert} (CLI, boto3)\n`,
    )
    return 0
  },
}
