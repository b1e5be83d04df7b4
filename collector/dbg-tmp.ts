import { localHours, offsetSpans, startOfLocalDay } from './store/time-zones.ts';
const z = 'Asia/Hong_Kong';
const from = startOfLocalDay('1970-04-19', z), to = startOfLocalDay('1970-04-20', z);
console.log(new Date(from).toISOString(), new Date(to).toISOString(), offsetSpans(z, from, to));
console.log(localHours(z, from, to).map(h => h.label + ' ' + new Date(h.start).toISOString()));
const f = new Intl.DateTimeFormat('sv-SE', { timeZone: z, dateStyle: 'short', timeStyle: 'long' });
for (let t = from - 3600000; t < from + 6 * 3600000; t += 15 * 60000) console.log(new Date(t).toISOString(), f.format(t));
