// consoleReply() serves exactly the built console's files, with their types, a strict CSP and revalidation.
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { CONSOLE_CSP, consoleReply, loadConsoleAssets } from './console-static.js'

const dir = mkdtempSync(join(tmpdir(), 'trent-console-'))
after(() => rmSync(dir, { recursive: true, force: true }))
mkdirSync(join(dir, 'views'))
writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>')
writeFileSync(join(dir, 'main.js'), 'export {}\n')
writeFileSync(join(dir, 'console.css'), 'body{}\n')
writeFileSync(join(dir, 'views', 'keys.js'), 'export const keys = 1\n')
writeFileSync(join(dir, '.tsbuildinfo'), '{"secret":"build info"}')
writeFileSync(join(dir, 'notes.txt'), 'not a console file')
const assets = loadConsoleAssets(dir)
const get = (url: string, etag?: string) => consoleReply(assets, 'GET', url, etag)

describe('consoleReply', () => {
  it('serves index.html at /console/ and each file with its content type and the security headers', () => {
    const index = get('/console/')!
    assert.equal(index.status, 200)
    assert.equal(index.headers['content-type'], 'text/html; charset=utf-8')
    assert.equal(index.body.toString(), '<!doctype html><title>t</title>')
    assert.equal(index.headers['content-security-policy'], CONSOLE_CSP)
    assert.match(CONSOLE_CSP, /^default-src 'self'; script-src 'self'; style-src 'self';/)
    assert.equal(index.headers['x-content-type-options'], 'nosniff')
    assert.equal(index.headers['x-frame-options'], 'DENY')
    assert.equal(index.headers['cache-control'], 'no-cache')
    assert.equal(get('/console/main.js')!.headers['content-type'], 'text/javascript; charset=utf-8')
    assert.equal(get('/console/console.css')!.headers['content-type'], 'text/css; charset=utf-8')
    assert.equal(get('/console/views/keys.js?v=1')!.body.toString(), 'export const keys = 1\n')
  })

  it('redirects /console to /console/ so relative module paths resolve', () => {
    const reply = get('/console')!
    assert.equal(reply.status, 308)
    assert.equal(reply.headers.location, '/console/')
  })

  it('answers 304 to a matching If-None-Match and 200 with the body otherwise', () => {
    const first = get('/console/main.js')!
    const etag = first.headers.etag!
    assert.match(etag, /^"[A-Za-z0-9_-]{27}"$/)
    assert.equal(get('/console/main.js', etag)!.status, 304)
    assert.equal(get('/console/main.js', etag)!.body.length, 0)
    assert.equal(get('/console/main.js', '"other"')!.status, 200)
  })

  it('serves no dotfile, no file of an unknown type, and nothing outside the folder', () => {
    for (const url of ['/console/.tsbuildinfo', '/console/notes.txt', '/console/../package.json', '/console/%2e%2e/package.json', '/console/nope.js']) {
      assert.equal(get(url)!.status, 404, url)
    }
  })

  it('answers HEAD without a body and refuses other methods; leaves other paths alone', () => {
    const head = consoleReply(assets, 'HEAD', '/console/main.js', undefined)!
    assert.equal(head.status, 200)
    assert.equal(head.body.length, 0)
    assert.equal(head.headers['content-length'], String('export {}\n'.length))
    assert.equal(consoleReply(assets, 'POST', '/console/main.js', undefined)!.status, 405)
    assert.equal(get('/'), undefined)
    assert.equal(get('/consoles'), undefined)
    assert.equal(get('/metrics'), undefined)
  })

  it('says the console is not built when its folder is missing', () => {
    const reply = consoleReply(loadConsoleAssets(join(dir, 'absent')), 'GET', '/console/', undefined)!
    assert.equal(reply.status, 404)
    assert.match(reply.body.toString(), /not built/)
  })
})
