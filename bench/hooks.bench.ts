/**
 * What an armed hook costs a call that it does not fire on, as a ratio to the plain call
 * measured in the same process. Each sample runs a batch of sequential awaited calls, so
 * the ratio reflects the call and not the benchmark harness.
 *
 * Run directly (`node --import tsx bench/hooks.bench.ts <case>`), it measures one case
 * against the plain call and prints JSON: `bench/index.ts` runs every case in a process of
 * its own, because the wrapper's code is shared by all patches and several patches in one
 * process would make its call into the original polymorphic, which is not what a test
 * with one or two hooks sees.
 */
import { Bench } from 'tinybench';
import { after, before, type Hook } from 'interleave';

const BATCH = 1_000;

interface Client {
  rows: number;
  query(sql: string): Promise<number>;
}

function makeClient(): Client {
  return {
    rows: 0,
    // An async method that resolves at once: the cheapest call a hook can be put around.
    async query(sql: string): Promise<number> {
      this.rows += sql.length;
      return this.rows;
    },
  };
}

async function batch(client: Client): Promise<void> {
  for (let i = 0; i < BATCH; i++) await client.query('SELECT 1');
}

const never = Number.MAX_SAFE_INTEGER;
// The hooks never fire, on purpose: no warning when they are restored.
const unfired = 'ignore';

/** Each case arms a hook on the client that never fires during the benchmark. */
export const hookCases: Record<string, (client: Client) => Hook> = {
  'after(), armed, skip not reached': (c) =>
    after(c, 'query', () => undefined, { skip: never, unfired }),
  'before(), armed, skip not reached': (c) =>
    before(c, 'query', () => undefined, { skip: never, unfired }),
  'before(), armed, `when` false': (c) =>
    before(c, 'query', () => undefined, { when: ({ args }) => args[0] === 'never', unfired }),
  'after(), armed, `when` false (waits for the result)': (c) =>
    after(c, 'query', () => undefined, { when: ({ result }) => result === -1, unfired }),
};

export interface CaseResult {
  name: string;
  plainNs: number;
  hookedNs: number;
  ratio: number;
}

export async function measureCase(name: string, time: number): Promise<CaseResult> {
  const arm = hookCases[name];
  if (!arm) throw new Error(`unknown hook benchmark case "${name}"`);
  const plain = makeClient();
  const hooked = makeClient();
  const hook = arm(hooked);
  const bench = new Bench({ name: 'hooks', time, warmupTime: Math.min(300, time) });
  bench.add('plain', () => batch(plain)).add('hooked', () => batch(hooked));
  await bench.run();
  if (hook.fired !== 0) throw new Error(`case "${name}" fired its hook: it measures nothing`);
  hook.restore();
  const perCall = (task: string): number => {
    const result = bench.getTask(task)?.result;
    if (result?.state !== 'completed') throw new Error(`benchmark task "${task}" did not complete`);
    return (result.latency.mean * 1e6) / BATCH;
  };
  const plainNs = perCall('plain');
  const hookedNs = perCall('hooked');
  return { name, plainNs, hookedNs, ratio: hookedNs / plainNs };
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const [name = '', time = '1000'] = process.argv.slice(2);
  console.log(JSON.stringify(await measureCase(name, Number(time))));
}
