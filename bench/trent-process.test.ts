// The process count behind "workers=N: K processes" in the report.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { it } from 'node:test'
import { childProcessCount } from './trent-process.js'

it('childProcessCount() counts a direct child of the process, and stops counting it once it exits', { skip: process.platform !== 'linux' }, async () => {
  const before = childProcessCount(process.pid)
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)'], { stdio: 'ignore' })
  await once(child, 'spawn')
  assert.equal(childProcessCount(process.pid), before + 1)
  child.kill('SIGKILL')
  await once(child, 'exit')
  assert.equal(childProcessCount(process.pid), before)
})
