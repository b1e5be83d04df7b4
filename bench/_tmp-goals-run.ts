import { openSqliteStore } from '../collector/store/sqlite.ts';
import { timeGoals } from '../bench/goals.ts';
import { GENERATED_SITES } from '../bench/generate-events.ts';
const zones = new Map(GENERATED_SITES.map((s) => [s.id, s.timeZone]));
const store = await openSqliteStore(process.argv[2]!, { timeZoneOf: (id) => zones.get(id) ?? 'UTC' });
const n = await store.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).where('site_id','=','shop.example').where('ts','>=',Date.parse('2026-10-25T00:00:00Z')).executeTakeFirstOrThrow();
console.log('shop events in 30d', n.n);
console.log(await timeGoals(store, { runs: 5, end: '2026-11-23' }));
await store.close();
