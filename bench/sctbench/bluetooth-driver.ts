/**
 * bluetooth_driver_bad.c: a driver's add routine (run by main) counts itself in as pending
 * I/O unless the device is stopping; the stop routine (a thread) raises the stopping flag,
 * counts the initial reference out and, once no I/O is pending, marks the device stopped.
 * The flag is tested outside the counter's lock, so the add routine can pass the test, be
 * preempted while the device stops, and then work on a stopped device. One preemption.
 */
import { fragment, type SctProgram } from './program.ts';
import { assert, type Cell, type Mutex, type PortOptions, Shared } from './support.ts';

interface Device {
  /** The lock of the original's atomic sections. */
  atomic: Mutex;
  pendingIo: Cell<number>;
  stoppingFlag: Cell<boolean>;
  stoppingEvent: Cell<boolean>;
  stopped: Cell<boolean>;
}

async function ioIncrement(e: Device): Promise<number> {
  if (await e.stoppingFlag.get()) return -1;
  await e.atomic.lock();
  await e.pendingIo.set((await e.pendingIo.get()) + 1);
  await e.atomic.unlock();
  return 0;
}

async function ioDecrement(e: Device): Promise<void> {
  await e.atomic.lock();
  await e.pendingIo.set((await e.pendingIo.get()) - 1);
  const pending = await e.pendingIo.get();
  await e.atomic.unlock();
  if (pending === 0) await e.stoppingEvent.set(true);
}

function bluetoothDriver(options?: PortOptions) {
  return fragment({
    setup: (): Device => {
      const shared = new Shared(options);
      return {
        atomic: shared.mutex('atomic'),
        pendingIo: shared.cell('pendingIo', 1),
        stoppingFlag: shared.cell('stoppingFlag', false),
        stoppingEvent: shared.cell('stoppingEvent', false),
        stopped: shared.cell('stopped', false),
      };
    },
    tasks: [
      async function pnpAdd(e) {
        const status = await ioIncrement(e);
        if (status === 0) assert(!(await e.stopped.get()), 'working on a stopped device');
        await ioDecrement(e);
      },
      async function pnpStop(e) {
        await e.stoppingFlag.set(true);
        await ioDecrement(e);
        if (await e.stoppingEvent.get()) await e.stopped.set(true);
      },
    ],
  });
}

export const bluetoothDriverProgram: SctProgram = {
  name: 'bluetooth_driver',
  original: 'bluetooth_driver_bad.c',
  threads: 2,
  bound: 1,
  bug: 'assertion',
  spec: bluetoothDriver,
};
