// Example: encrypting one column of a database table with Trent (SQLite through better-sqlite3 here).
// Each value becomes an AWS Encryption SDK message; the data-key cache lets one Trent call serve many rows.
//
//   AWS_ACCESS_KEY_ID=… AWS_SECRET_ACCESS_KEY=… AWS_REGION=us-east-1 AWS_ENDPOINT_URL_KMS=http://127.0.0.1:8080 \
//     node dist/examples/encrypt-database-column.js alias/customer-data
import Database from 'better-sqlite3'
import { createEnvelope } from 'trent'

const keyId = process.argv[2] ?? 'alias/customer-data'

// The context names the table and column: a value copied into another column will not decrypt there. It is
// the same for every row so that cached data keys can serve many rows (the cache is keyed by context too).
const context = { table: 'customers', column: 'tax_id' }

// Endpoint, credentials and region come from the standard AWS variables. Data keys are reused for at most
// five minutes and 1000 values, so one Trent call covers a batch of inserts.
const envelope = createEnvelope({ cache: { maxAgeMs: 5 * 60_000, maxMessages: 1000 } })

const db = new Database(':memory:')
db.exec('CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, tax_id BLOB NOT NULL)')

async function insertCustomer(name: string, taxId: string): Promise<void> {
  const sealed = await envelope.encrypt(taxId, { keyId, context })
  db.prepare('INSERT INTO customers (name, tax_id) VALUES (?, ?)').run(name, sealed)
}

async function taxIdOf(name: string): Promise<string> {
  const row = db.prepare('SELECT tax_id FROM customers WHERE name = ?').get(name) as { tax_id: Buffer }
  // expectContext refuses a value that was sealed for another table or column.
  const { plaintext } = await envelope.decrypt(row.tax_id, { expectContext: context })
  return plaintext.toString('utf8')
}

await insertCustomer('Ada', '123-45-6789')
await insertCustomer('Grace', '987-65-4321')
const stored = db.prepare('SELECT tax_id FROM customers').all() as Array<{ tax_id: Buffer }>
const clear = stored.some((r) => r.tax_id.includes(Buffer.from('123-45-6789')))
console.log(`stored ${stored.length} rows; tax ids in the clear: ${clear ? 'yes' : 'no'}`)
console.log(`Grace's tax id: ${await taxIdOf('Grace')}`)
