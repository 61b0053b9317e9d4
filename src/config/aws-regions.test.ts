import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { AWS_REGIONS } from './aws-regions.generated.js'
import { renderRegions, sdkAwsRegions } from './generate-regions.js'

describe('the aws partition regions', () => {
  it('are exactly the regions the installed AWS SDK knows (run npm run gen:regions after an SDK upgrade)', async () => {
    const sdk = await sdkAwsRegions()
    assert.deepEqual([...AWS_REGIONS], sdk)
    assert.ok(sdk.includes('us-east-1') && sdk.includes('eu-central-1') && !sdk.includes('aws-global'))
    const source = readFileSync(new URL('../../../src/config/aws-regions.generated.ts', import.meta.url), 'utf8')
    assert.equal(source, renderRegions(sdk))
  })
})
