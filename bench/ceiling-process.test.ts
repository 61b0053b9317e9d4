// Tests for starting the minimal server beside Trent: a stand-in script proves the port, environment and clean-up.
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { ceilingScript, startCeilingServer } from './ceiling-process.js'

// Answers with the environment the real script reads, and leaves the database file the real one would.
const STAND_IN = `
const fs = require('node:fs'), path = require('node:path'), os = require('node:os')
fs.writeFileSync(path.join(os.tmpdir(), 'ceiling-' + process.pid + '.db'), '')
require('node:http').createServer((q, s) => s.end(JSON.stringify({ audit: process.env.AUDIT, secret: process.env.AWS_SECRET_ACCESS_KEY, nodePath: process.env.NODE_PATH ?? '' })))
  .listen(Number(process.argv[2]), '127.0.0.1')
`

function get(url: URL): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      let text = ''
      res.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => resolve(JSON.parse(text) as Record<string, string>))
    }).on('error', reject).end()
  })
}

describe('ceiling server process', () => {
  it('is absent when its script is not there', () => {
    assert.equal(ceilingScript({ TRENT_BENCH_CEILING: join(tmpdir(), 'no-such-ceiling-server.js') }), undefined)
  })

  it('starts the script on a free port with audit on and the signing secret, and removes its database on stop', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ceiling-test-'))
    const script = join(dir, 'stand-in.cjs')
    writeFileSync(script, STAND_IN)
    try {
      assert.equal(ceilingScript({ TRENT_BENCH_CEILING: script }), script)
      const server = await startCeilingServer(script, 'the-signing-secret')
      const seen = await get(server.url)
      assert.equal(seen.audit, '1')
      assert.equal(seen.secret, 'the-signing-secret')
      assert.match(seen.nodePath ?? '', /node_modules$/)
      const db = join(tmpdir(), `ceiling-${server.pid}.db`)
      assert.equal(existsSync(db), true)
      await server.stop()
      assert.equal(server.hasExited(), true)
      assert.equal(existsSync(db), false)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('rejects a script that exits instead of listening', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ceiling-test-'))
    const script = join(dir, 'exits.cjs')
    writeFileSync(script, "console.error('cannot start'); process.exit(3)")
    try {
      await assert.rejects(startCeilingServer(script, 's'), /did not start listening[\s\S]*cannot start/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
