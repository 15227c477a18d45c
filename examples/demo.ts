/**
 * `npm run demo`: the seed scenarios, end to end, on embedded defaults. Exits non-zero if a
 * scenario does not come out as the story says, so the demo doubles as a smoke test.
 */
import { boxScenarios } from './box/demo.ts';
import { incrmntScenarios, sideBySide } from './incrmnt/demo.ts';
import { deadlockScenario } from './deadlock/demo.ts';
import { counterScenarios } from './shared-counter/demo.ts';

let failures = 0;

console.log('interleave demo: the seed scenarios, end to end\n');
console.log("1. Incrmnt: hooks at a call site (after Python's before_after)");
console.log(
  "   after(db, 'getCount', () => increment()) runs request B right after request A read.\n",
);
for (const scenario of await incrmntScenarios()) {
  const ok = scenario.count === scenario.expected;
  if (!ok) failures++;
  const mark = ok ? 'as expected' : `UNEXPECTED: the story says ${scenario.expected}`;
  console.log(`  ${scenario.title}: ${scenario.story}`);
  console.log(sideBySide(scenario.events));
  console.log(`    count after two increments: ${scenario.count} (${mark})\n`);
}

console.log("2. Box: tasks that meet at a barrier (after Kotest's runInParallel)");
console.log('   A box of capacity 2 holds an apple; two tasks each check for room, then add.\n');
for (const scenario of await boxScenarios()) {
  const ok = JSON.stringify(scenario.items) === JSON.stringify(scenario.expected);
  if (!ok) failures++;
  const mark = ok ? 'as expected' : `UNEXPECTED: the story says ${scenario.expected.join(', ')}`;
  console.log(`  ${scenario.title}`);
  console.log(`    box holds ${scenario.items.length}: ${scenario.items.join(', ')} (${mark})\n`);
}

console.log('3. A shared counter between two real threads (runInWorkers)');
console.log('   Each thread reads the counter in shared memory, the threads meet, each writes.\n');
for (const scenario of await counterScenarios()) {
  const ok = scenario.count === scenario.expected;
  if (!ok) failures++;
  const mark = ok ? 'as expected' : `UNEXPECTED: the story says ${scenario.expected}`;
  console.log(`  ${scenario.title}`);
  console.log(
    `    threads read ${scenario.seen.toSorted((a, b) => a - b).join(' and ')}; counter after two increments: ${scenario.count} (${mark})\n`,
  );
}

console.log('4. A deadlock between two PostgreSQL transactions (runInParallel + interleave/db)');
console.log('   A updates test0, B updates test1, they meet, then A updates test1 and B test0.\n');
const deadlock = await deadlockScenario(3);
const deadlockOk =
  deadlock.committed === deadlock.attempts &&
  deadlock.victims.length === deadlock.attempts &&
  deadlock.victims.every((v) => v.startsWith('deadlock'));
if (!deadlockOk) failures++;
console.log(`  ${deadlock.attempts} attempts on ${deadlock.server}:`);
console.log(
  `    committed: ${deadlock.committed}, deadlock victims: ${deadlock.victims.join(', ')}`,
);
console.log(
  `    (${deadlockOk ? 'as expected: one victim per attempt, every attempt' : 'UNEXPECTED: the story says one victim per attempt'})\n`,
);

const comingSoon = ['5. explore: a scheduler that finds, replays and shrinks interleavings'];
for (const line of comingSoon) console.log(`${line}: coming soon`);

if (failures > 0) {
  console.error(`\n${failures} scenario(s) did not reproduce as expected`);
  process.exit(1);
}
console.log('\nAll scenarios reproduced as expected.');
