// The plugin's unix socket is private from the moment it is bound: even under umask 000 it never exists with
// a mode that lets another user connect (and so have DEKs unwrapped).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { lstatSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { KMS } from '@aws-sdk/client-kms'
import { startKmsV2Plugin } from './plugin-server.js'

test('the socket is bound 0600 under umask 000, and the process umask is put back', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'trent-plugin-'))
  const previous = process.umask(0)
  try {
    const plugin = await startKmsV2Plugin(join(dir, 'kms.sock'), { kms: {} as KMS, keyId: 'alias/k8s' })
    try {
      assert.equal(process.umask(), 0, 'the umask was not restored after the bind')
      const stat = lstatSync(plugin.socketPath)
      assert.ok(stat.isSocket())
      assert.equal(stat.mode & 0o777, 0o600, `socket bound with mode ${(stat.mode & 0o777).toString(8)}`)
    } finally {
      await plugin.stop()
    }
  } finally {
    process.umask(previous)
    rmSync(dir, { recursive: true, force: true })
  }
})
