/**
 * `npm run demo`: the seed scenarios, end to end, on embedded defaults. Exits non-zero if a
 * scenario does not come out as the story says, so the demo doubles as a smoke test.
 */
import pc from 'picocolors';
import { boxScenarios } from './box/demo.ts';
import { exploreScenario } from './incrmnt/explore-demo.ts';
import { incrmntScenarios, sideBySide } from './incrmnt/demo.ts';
import { deadlockScenario } from './deadlock/demo.ts';
import { mkdirpScenario } from './real-bugs/mkdirp/demo.ts';
import { counterScenarios } from './shared-counter/demo.ts';

let failures = 0;
const counted = { race: 0, fix: 0 };
const started = performance.now();

/** Colours only on a terminal (picocolors also honours NO_COLOR and FORCE_COLOR). */
const heading = (text: string) => pc.bold(text);
/**
 * What a scenario showed, said in words: "the lost update reproduced" for a race, "the fix
 * holds" for a fix; or, when it did not come out as the story says, what was expected.
 */
const verdict = (ok: boolean, kind: 'race' | 'fix', shows: string, unexpected: string) => {
  counted[kind]++;
  if (!ok) failures++;
  return ok ? `— ${pc.green(shows)}` : pc.red(`— UNEXPECTED: ${unexpected}`);
};
const indent = (text: string, by = '    ') =>
  text
    .split('\n')
    .map((line) => (line === '' ? line : by + line))
    .join('\n');

console.log(pc.bold('interleave demo: the seed scenarios, end to end\n'));
console.log(heading("1. Incrmnt: hooks at a call site (after Python's before_after)"));
console.log(
  "   after(db, 'getCount', () => increment()) runs request B right after request A read.\n",
);
for (const scenario of await incrmntScenarios()) {
  const said = verdict(
    scenario.count === scenario.expected,
    scenario.kind,
    scenario.shows,
    `the story says ${scenario.expected}`,
  );
  console.log(`  ${scenario.title}: ${scenario.story}`);
  console.log(sideBySide(scenario.events));
  console.log(`    count after two increments: ${scenario.count} ${said}\n`);
}

console.log(heading("2. Box: tasks that meet at a barrier (after Kotest's runInParallel)"));
console.log('   A box of capacity 2 holds an apple; two tasks each check for room, then add.\n');
for (const scenario of await boxScenarios()) {
  const said = verdict(
    JSON.stringify(scenario.items) === JSON.stringify(scenario.expected),
    scenario.kind,
    scenario.shows,
    `the story says ${scenario.expected.join(', ')}`,
  );
  console.log(`  ${scenario.title}`);
  console.log(`    box holds ${scenario.items.length}: ${scenario.items.join(', ')} ${said}\n`);
}

console.log(heading('3. A shared counter between two real threads (runInWorkers)'));
console.log('   Each thread reads the counter in shared memory, the threads meet, each writes.\n');
for (const scenario of await counterScenarios()) {
  const said = verdict(
    scenario.count === scenario.expected,
    scenario.kind,
    scenario.shows,
    `the story says ${scenario.expected}`,
  );
  console.log(`  ${scenario.title}`);
  console.log(
    `    threads read ${scenario.seen.toSorted((a, b) => a - b).join(' and ')}; counter after two increments: ${scenario.count} ${said}\n`,
  );
}

console.log(
  heading('4. A deadlock between two PostgreSQL transactions (runInParallel + interleave/db)'),
);
console.log('   A updates test0, B updates test1, they meet, then A updates test1 and B test0.\n');
const deadlock = await deadlockScenario(3);
const deadlockOk =
  deadlock.committed === deadlock.attempts &&
  deadlock.victims.length === deadlock.attempts &&
  deadlock.victims.every((v) => v.startsWith('deadlock'));
console.log(`  ${deadlock.attempts} attempts on ${deadlock.server}:`);
console.log(
  `    committed: ${deadlock.committed}, deadlock victims: ${deadlock.victims.join(', ')}`,
);
console.log(
  `    one victim per attempt ${verdict(deadlockOk, 'race', `the deadlock reproduced in ${deadlock.attempts} of ${deadlock.attempts} attempts`, 'the story says one victim per attempt')}\n`,
);

console.log(heading('5. explore: a scheduler that finds, replays and shrinks interleavings'));
console.log(
  '   Nobody places request B by hand: explore tries the interleavings of two incrementAsync()\n' +
    '   requests (each store call a scheduling point) and reports the one that loses an update.\n',
);
const explored = await exploreScenario();
console.log(indent(explored.race.message, '  '));
const sameTrace = JSON.stringify(explored.replay.trace) === JSON.stringify(explored.race.trace);
console.log(
  `\n  replaying the token: ${explored.replay.trace.length} steps ` +
    verdict(
      sameTrace,
      'race',
      'the same schedule, the same lost update reproduced',
      'the replay took another path',
    ),
);
console.log(
  `  queuedIncrementAsync(), the fix: ${explored.fixed.schedules} schedules, every one with at most ` +
    `2 preemptions ${verdict(explored.fixed.exhausted, 'fix', 'the fix holds in every one: no lost update', 'the search did not finish')}\n`,
);

console.log(
  heading('6. A real bug: mkdirp 0.0.3 (Node.fz benchmark), from npm, through callbacks'),
);
console.log(
  "   Two mkdirp() calls create the same directory; yieldAt(path, 'exists') and yieldAt(fs, 'mkdir'),\n" +
    '   both { callback: true }, make each call and each callback a scheduling point.\n',
);
const mkdirp = await mkdirpScenario();
const eexist = (mkdirp.race.cause as { code?: unknown } | undefined)?.code === 'EEXIST';
console.log(indent(mkdirp.race.message, '  '));
console.log(
  `\n  0.0.3: ${verdict(eexist && mkdirp.race.reproducible === true, 'race', 'EEXIST reached a caller, and the token reproduced it', 'explore did not report the EEXIST race')}`,
);
console.log(
  `  0.0.6, the fix: ${mkdirp.fixed.schedules} schedules ${verdict(mkdirp.fixed.exhausted, 'fix', 'every one creates the directory', 'the search did not finish')}\n`,
);

const seconds = ((performance.now() - started) / 1000).toFixed(1);
const scenarios = counted.race + counted.fix;
if (failures > 0) {
  console.error(
    pc.red(
      pc.bold(
        `${failures} of ${scenarios} scenarios did not come out as the story says (${seconds} s)`,
      ),
    ),
  );
  process.exit(1);
}
console.log(
  pc.green(
    pc.bold(
      `All ${scenarios} scenarios came out as the story says: ${counted.race} races reproduced, ` +
        `${counted.fix} fixes held (${seconds} s).`,
    ),
  ),
);
