// loadConfig(): defaults, flags over environment, and refusal of values that would misconfigure the server.
import assert from 'node:assert/strict'
import { resolve } from 'node:path'
import { describe, it } from 'node:test'
import { ConfigError, DEFAULT_PORT, MAX_WORKERS, loadConfig, takeConfig } from './config.js'

function refuses(env: NodeJS.ProcessEnv, message: string, argv: string[] = []): void {
  assert.throws(() => loadConfig(argv, env), (e: unknown) => {
    assert.ok(e instanceof ConfigError, String(e))
    assert.equal(e.message, message)
    return true
  })
}

describe('loadConfig()', () => {
  it('uses the documented defaults', () => {
    const config = loadConfig([], {})
    assert.deepEqual(
      [config.dataDir, config.host, config.port, config.region, config.jobIntervalMs, config.rootKeyFile],
      [resolve('./data'), '127.0.0.1', DEFAULT_PORT, 'us-east-1', 60_000, resolve('./data/root.key')],
    )
  })

  it('prefers flags over the environment', () => {
    const config = loadConfig(['--port', '9000', '--region', 'eu-west-2'], { TRENT_PORT: '8000', TRENT_REGION: 'us-west-2', TRENT_JOB_INTERVAL_MS: '250' })
    assert.deepEqual([config.port, config.region, config.jobIntervalMs], [9000, 'eu-west-2', 250])
  })

  it('serves every aws partition region by default, or exactly TRENT_REGIONS, which must include the default region', () => {
    const all = loadConfig([], {}).regions
    assert.ok(all.includes('us-east-1') && all.includes('eu-central-1') && all.includes('ap-southeast-2'), all.join())
    assert.deepEqual(loadConfig([], { TRENT_REGIONS: ' us-east-1, eu-west-1 ,us-east-1' }).regions, ['us-east-1', 'eu-west-1'])
    assert.deepEqual(loadConfig(['--region', 'eu-west-1'], { TRENT_REGIONS: 'eu-west-1' }).regions, ['eu-west-1'])
    refuses({ TRENT_REGIONS: 'eu-west-1' }, 'TRENT_REGIONS must include the default region us-east-1 (TRENT_REGION / --region)')
    refuses({ TRENT_REGIONS: 'us-east-1,mars' }, 'invalid region in TRENT_REGIONS: mars')
    refuses({ TRENT_REGIONS: ' , ' }, 'TRENT_REGIONS must name at least one region')
  })

  it('refuses a job interval that is not a positive whole number of milliseconds', () => {
    for (const bad of ['soon', '0', '-5', '1.5', '']) {
      refuses({ TRENT_JOB_INTERVAL_MS: bad }, `TRENT_JOB_INTERVAL_MS must be a positive whole number of milliseconds: ${bad}`)
    }
  })

  it('refuses a bad port, region, account id or half a bootstrap credential', () => {
    refuses({}, 'invalid port: 70000', ['--port', '70000'])
    refuses({ TRENT_REGION: 'mars' }, 'invalid region: mars')
    refuses({ TRENT_ACCOUNT_ID: '123' }, 'TRENT_ACCOUNT_ID must be 12 digits')
    refuses({ TRENT_BOOTSTRAP_ACCESS_KEY_ID: 'AKIAEXAMPLE00000' }, 'set both TRENT_BOOTSTRAP_ACCESS_KEY_ID and TRENT_BOOTSTRAP_SECRET_ACCESS_KEY, or neither')
  })

  it('requires a signed X-Amz-Target unless TRENT_ALLOW_UNSIGNED_TARGET or --allow-unsigned-target says true', () => {
    assert.equal(loadConfig([], {}).allowUnsignedTarget, false)
    assert.equal(loadConfig([], { TRENT_ALLOW_UNSIGNED_TARGET: 'false' }).allowUnsignedTarget, false)
    assert.equal(loadConfig([], { TRENT_ALLOW_UNSIGNED_TARGET: 'true' }).allowUnsignedTarget, true)
    assert.equal(loadConfig(['--allow-unsigned-target'], {}).allowUnsignedTarget, true)
    for (const bad of ['yes', '1', 'TRUE', '']) {
      refuses({ TRENT_ALLOW_UNSIGNED_TARGET: bad }, `TRENT_ALLOW_UNSIGNED_TARGET must be true or false: ${bad}`)
    }
  })

  it('takeConfig() keeps TRENT_ROOT_KEY and the bootstrap secret in the config but deletes them from the environment', () => {
    const rootKey = Buffer.alloc(32, 7).toString('base64')
    const env: NodeJS.ProcessEnv = {
      TRENT_ROOT_KEY: rootKey, TRENT_BOOTSTRAP_ACCESS_KEY_ID: 'AKIDBOOTSTRAPTEST001', TRENT_BOOTSTRAP_SECRET_ACCESS_KEY: 'bootstrap-secret-0001', TRENT_PORT: '9001',
    }
    const config = takeConfig([], env)
    assert.equal(config.rootKeyBase64, rootKey)
    assert.deepEqual(config.bootstrap, { accessKeyId: 'AKIDBOOTSTRAPTEST001', secretAccessKey: 'bootstrap-secret-0001' })
    assert.deepEqual(env, { TRENT_BOOTSTRAP_ACCESS_KEY_ID: 'AKIDBOOTSTRAPTEST001', TRENT_PORT: '9001' })
  })

  it('runs one server process per CPU unless --workers or TRENT_WORKERS says otherwise', () => {
    assert.equal(loadConfig([], {}).workers, 1)
    assert.equal(loadConfig([], { TRENT_WORKERS: '1' }).workers, 1)
    assert.equal(loadConfig(['--workers', '3'], { TRENT_WORKERS: '1' }).workers, 3)
    assert.equal(loadConfig([], { TRENT_WORKERS: String(MAX_WORKERS) }).workers, MAX_WORKERS)
  })

  it('refuses a worker count outside 1..64 or that is not a whole number', () => {
    for (const bad of ['0', '65', '-1', '1.5', 'two', '', ' ', '1e1', '0x2']) {
      refuses({ TRENT_WORKERS: bad }, `--workers / TRENT_WORKERS must be a whole number from 1 to ${MAX_WORKERS}: ${bad}`)
    }
    refuses({}, `--workers / TRENT_WORKERS must be a whole number from 1 to ${MAX_WORKERS}: 100`, ['--workers', '100'])
  })

  it('uses SQLite unless TRENT_DATABASE_URL names a PostgreSQL database, with an optional schema', () => {
    assert.equal(loadConfig([], {}).database, undefined)
    assert.deepEqual(loadConfig([], { TRENT_DATABASE_URL: 'postgres://trent@db:5432/kms' }).database, { url: 'postgres://trent@db:5432/kms' })
    assert.deepEqual(loadConfig([], { TRENT_DATABASE_URL: 'postgresql://db/kms', TRENT_DATABASE_SCHEMA: 'trent_eu' }).database,
      { url: 'postgresql://db/kms', schema: 'trent_eu' })
  })

  it('refuses a database URL of another kind, a bad schema, a schema alone, and workers on PostgreSQL, never echoing the URL', () => {
    refuses({ TRENT_DATABASE_URL: 'mysql://user:hunter2@db/kms' }, 'TRENT_DATABASE_URL must start with postgres:// or postgresql://')
    refuses({ TRENT_DATABASE_URL: 'postgres://db/kms', TRENT_DATABASE_SCHEMA: 'Trent; DROP' },
      'TRENT_DATABASE_SCHEMA must be a lower-case identifier (letters, digits, _; at most 63): Trent; DROP')
    refuses({ TRENT_DATABASE_SCHEMA: 'trent' }, 'TRENT_DATABASE_SCHEMA needs TRENT_DATABASE_URL')
    refuses({ TRENT_DATABASE_URL: 'postgres://db/kms', TRENT_WORKERS: '2' },
      '--workers above 1 is for the SQLite store; with TRENT_DATABASE_URL run several nodes instead')
  })

  it('takeConfig() removes TRENT_DATABASE_URL (it may carry a password) from the environment', () => {
    const env: NodeJS.ProcessEnv = { TRENT_DATABASE_URL: 'postgres://trent:secret@db/kms' }
    assert.deepEqual(takeConfig([], env).database, { url: 'postgres://trent:secret@db/kms' })
    assert.deepEqual(env, {})
  })
})

describe('TRENT_ALLOW_OPEN_PERMISSIONS', () => {
  it('is off unless set to true, and refuses anything but true or false', () => {
    assert.equal(loadConfig([], {}).allowOpenPermissions, false)
    assert.equal(loadConfig([], { TRENT_ALLOW_OPEN_PERMISSIONS: 'true' }).allowOpenPermissions, true)
    refuses({ TRENT_ALLOW_OPEN_PERMISSIONS: 'yes' }, 'TRENT_ALLOW_OPEN_PERMISSIONS must be true or false: yes')
  })
})
