/**
 * Recipe: two overlapping HTTP requests to an Express handler lose an update. `after()` on
 * the store's read runs the whole second request (a real HTTP round trip) right after the
 * first request has read, every run. The fix makes the store do the read-modify-write.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { after } from 'interleave';

// The application: a "like" button backed by a store client (a database in real life).
const store = {
  likes: 0,
  async getLikes(): Promise<number> {
    return this.likes;
  },
  async setLikes(likes: number): Promise<void> {
    this.likes = likes;
  },
  async addLike(): Promise<number> {
    return ++this.likes;
  },
};

const app = express();
// #region handlers
app.post('/like', async (_req, res) => {
  const likes = await store.getLikes();
  await store.setLikes(likes + 1);
  res.json({ likes: likes + 1 });
});
app.post('/like-atomic', async (_req, res) => {
  res.json({ likes: await store.addLike() });
});
// #endregion

let server: Server;
let base = '';
beforeAll(async () => {
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  store.likes = 0;
});

const like = (path: string) => fetch(`${base}${path}`, { method: 'POST' });

it("two overlapping likes: the second request runs between the first one's read and write", async () => {
  // #region race
  // Right after the first request read the count, send a whole second request.
  using _hook = after(store, 'getLikes', async () => {
    await like('/like');
  });

  await like('/like');

  expect(store.likes).toBe(1); // two likes, one counted: the lost update, every run
  // #endregion
});

it('the atomic handler counts both', async () => {
  using _hook = after(store, 'addLike', async () => {
    await like('/like-atomic');
  });

  await like('/like-atomic');

  expect(store.likes).toBe(2);
});
