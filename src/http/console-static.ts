// Serves the web console (dist/console, built by scripts/build-console.mjs) at /console: a fixed set of files
// read once, each with its content type, a strict Content-Security-Policy, and an ETag to revalidate against.
// The console is a client of the public API; this module serves its files and nothing else.
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { extname, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

export interface StaticReply {
  status: number
  headers: Record<string, string>
  body: Buffer
}

interface Asset {
  body: Buffer
  type: string
  etag: string
}

export const CONSOLE_PATH = '/console'

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
}

/** Nothing loads from anywhere but this origin; no inline script or style, no framing, no form posts elsewhere. */
export const CONSOLE_CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'", "font-src 'self'",
  "object-src 'none'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
].join('; ')

const SECURITY_HEADERS = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  // Always revalidate (cheap: the ETag answers 304), so an upgraded server never runs with an old console.
  'cache-control': 'no-cache',
}

const DEFAULT_DIR = fileURLToPath(new URL('../../console/', import.meta.url))

/** Reads every servable file under `dir` (by extension; dotfiles such as tsc's build info are left out). */
export function loadConsoleAssets(dir: string = DEFAULT_DIR): Map<string, Asset> {
  const assets = new Map<string, Asset>()
  const walk = (folder: string) => {
    let entries: string[]
    try {
      entries = readdirSync(folder)
    } catch {
      return // not built: /console answers 404
    }
    for (const name of entries) {
      if (name.startsWith('.')) continue
      const path = join(folder, name)
      if (statSync(path).isDirectory()) walk(path)
      else if (CONTENT_TYPES[extname(name)]) {
        const body = readFileSync(path)
        const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`
        assets.set(`/${relative(dir, path).split(sep).join('/')}`, { body, type: CONTENT_TYPES[extname(name)]!, etag })
      }
    }
  }
  walk(dir)
  return assets
}

function plain(status: number, text: string, extra: Record<string, string> = {}): StaticReply {
  const body = Buffer.from(text)
  return { status, headers: { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8', 'content-length': String(body.length), ...extra }, body }
}

/**
 * Answers a request under /console from `assets`, or returns undefined when the path is not the console's.
 * Only GET and HEAD; an unknown file is 404. The URL is looked up in the map, never joined to a file path.
 */
export function consoleReply(assets: Map<string, Asset>, method: string | undefined, url: string | undefined, ifNoneMatch: string | undefined): StaticReply | undefined {
  const path = (url ?? '').split('?')[0]!
  if (path !== CONSOLE_PATH && !path.startsWith(`${CONSOLE_PATH}/`)) return undefined
  if (method !== 'GET' && method !== 'HEAD') return plain(405, 'Method Not Allowed', { allow: 'GET, HEAD' })
  if (path === CONSOLE_PATH) return { status: 308, headers: { ...SECURITY_HEADERS, location: `${CONSOLE_PATH}/`, 'content-length': '0' }, body: Buffer.alloc(0) }
  const file = path.slice(CONSOLE_PATH.length)
  const asset = assets.get(file === '/' ? '/index.html' : file)
  if (!asset) return plain(404, assets.size === 0 ? 'The console is not built (npm run build).' : 'Not Found')
  const headers = { ...SECURITY_HEADERS, 'content-type': asset.type, etag: asset.etag }
  if (ifNoneMatch !== undefined && ifNoneMatch.split(',').map((t) => t.trim()).includes(asset.etag)) return { status: 304, headers: { ...headers, 'content-length': '0' }, body: Buffer.alloc(0) }
  return { status: 200, headers: { ...headers, 'content-length': String(asset.body.length) }, body: method === 'HEAD' ? Buffer.alloc(0) : asset.body }
}
