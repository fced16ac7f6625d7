// FerretDB 1.24 creates a collection in two statements, not one transaction: CREATE TABLE, then the
// row in _ferretdb_collections that names the table. A kill -9 of the launcher between the two (seen
// in the stuck-consumers fault test: every insert into review_states then failed with "table ...
// already exists", and the events were dead-lettered) must not break that collection for good.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startEmbedded } from '../../lib/embedded.js';
import { connectDatabase } from '../../lib/mongo.js';
import { silentLog } from '../support/fixtures.js';

/** The table name FerretDB's SQLite backend gives a collection: `<name>_<FNV-1a 32 of the name, hex>`. */
function tableNameOf(collection: string): string {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(collection)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return `${collection.toLowerCase()}_${hash.toString(16).padStart(8, '0')}`;
}

describe('kill -9 while FerretDB creates a collection', () => {
  it('the collection can be created and written after the restart, and the rest is kept', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'reviewgraph-orphan-'));
    try {
      let servers = await startEmbedded({ dataDir: dir });
      const before = await connectDatabase(servers.mongoUri, 'orphans', { log: silentLog });
      await before.db.collection('kept').insertOne({ _id: 'still-here' } as never);
      await before.close();
      process.kill(servers.pid!, 'SIGKILL');
      await servers.ended;
      // What a kill between the two statements leaves: the collection's table, and no metadata row for it.
      execFileSync('sqlite3', [join(dir, 'ferretdb', 'orphans.sqlite'), `CREATE TABLE "${tableNameOf('half_made')}" (_ferretdb_sjson TEXT NOT NULL CHECK(_ferretdb_sjson != '')) STRICT`]);

      servers = await startEmbedded({ dataDir: dir });
      const after = await connectDatabase(servers.mongoUri, 'orphans', { log: silentLog });
      try {
        await after.db.collection('half_made').insertOne({ _id: 'written' } as never);
        expect(await after.db.collection('half_made').findOne({ _id: 'written' } as never)).toEqual({ _id: 'written' });
        expect(await after.db.collection('kept').findOne({ _id: 'still-here' } as never)).toEqual({ _id: 'still-here' });
      } finally {
        await after.close();
        await servers.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
